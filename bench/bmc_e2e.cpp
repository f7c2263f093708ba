// netext-bench-bmc-e2e: memcached's UDP GETs end to end over a veth pair, in three
// configurations against the same memcached: memcached alone, with the eBPF-C BMC baseline
// (bench/baseline) in front of it, and with netext's BMC app (apps/bmc).
//
//   client ns: netext-mcload --------veth-------> server ns: eth0 [BMC XDP + tc egress]
//              eth0 [empty XDP program]                      memcached -U 11211
//
// XDP_TX on veth sends the frame to the peer, which drops it unless the peer has an XDP
// program of its own (FIELD-NOTES): the client's eth0 carries an empty XDP_PASS program for
// the whole run. Each configuration is warmed up first (netext-mcload --warmup: every key
// SET over TCP, then GETs for a second, which also fills the BMC cache), then measured.
//
// Prints a table (requests/s, hit ratio, p50/p99 latency, GETs the BMC answered), writes
// bench/results/bmc_e2e.csv and draws bench/results/bmc_e2e.png (bench/plot.sh bmc-e2e).
// Everything is bounded in time; the BMCs are detached, memcached is stopped (by its PID)
// and the namespaces are removed on every exit path, SIGINT and SIGTERM included.
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>
#include <netext/loader/object.hpp>

#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "args.hpp"
#include "baseline.hpp"
#include "bmc.hpp"
#include "memcached.hpp"
#include "testbed.hpp"

using namespace netext;
using netext::testing::MemcachedServer;
using netext::testing::shell;
using netext::testing::Testbed;

#ifndef NETEXT_MCLOAD
#define NETEXT_MCLOAD "netext-mcload"
#endif
#ifndef NETEXT_PLOT
#define NETEXT_PLOT "bench/plot.sh"
#endif

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile pid_t g_child = 0; // the load generator while it runs

void on_signal(int)
{
	g_stop = 1;
	if (g_child > 0)
		kill(g_child, SIGTERM);
}

struct Options {
	double duration = 5;
	unsigned rounds = 3; // each configuration measured this often, in rotated order
	double warm = 1;     // seconds of GETs after the warm-up SETs, unmeasured
	uint32_t keys = 10000;
	uint32_t value_size = 32;
	unsigned threads = 1;
	unsigned window = 32; // outstanding GETs per load generator thread
	unsigned memcached_threads = 1;
	uint32_t entries = 65536;
	std::string csv = "bench/results/bmc_e2e.csv";
	std::string png = "bench/results/bmc_e2e.png";
	std::string mcload = NETEXT_MCLOAD;
	std::string plot = NETEXT_PLOT;
};

[[noreturn]] void usage(const char *why)
{
	std::fprintf(
		stderr,
		"netext-bench-bmc-e2e: %s\n"
		"usage: netext-bench-bmc-e2e [--duration SECONDS] [--rounds N] [--short] [--keys "
		"N]\n"
		"         [--value-size N] [--threads N] [--window N] [--memcached-threads N]\n"
		"         [--entries N] [--csv FILE] [--png FILE|none] [--mcload PATH]\n"
		"         [--plot PATH]\n"
		"  memcached alone, with the eBPF-C BMC baseline, with netext's BMC, over a veth\n"
		"  testbed; --rounds N (default 3): every configuration N times, the order\n"
		"  rotated per round, the median round reported; --short: 1 round of 2 s (demo).\n"
		"  Needs root, memcached, gnuplot.\n",
		why);
	std::exit(2);
}

Options parse(int argc, char **argv)
{
	Options o;
	bench::parse_args(argc, argv, usage, [&](const std::string &a, auto next) {
		if (a == "--duration")
			o.duration = std::stod(next());
		else if (a == "--short") {
			o.duration = 2;
			o.rounds = 1;
		} else if (a == "--rounds")
			o.rounds = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--keys")
			o.keys = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--value-size")
			o.value_size = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--threads")
			o.threads = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--window")
			o.window = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--memcached-threads")
			o.memcached_threads = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--entries")
			o.entries = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--csv")
			o.csv = next();
		else if (a == "--png")
			o.png = next();
		else if (a == "--mcload")
			o.mcload = next();
		else if (a == "--plot")
			o.plot = next();
		else if (a == "-h" || a == "--help")
			usage("help");
		else
			return false;
		return true;
	});
	if (o.rounds < 1 || o.rounds > 20)
		usage("--rounds must be 1..20");
	if (!(o.duration > 0 && o.duration <= 300) || o.keys == 0 || o.keys > 10'000'000 ||
	    o.threads == 0 || o.threads > 64 || o.window == 0 || o.window > 1024 ||
	    o.memcached_threads == 0 || o.memcached_threads > 64 || o.entries == 0 ||
	    o.entries > bmc::kMaxEntries || o.value_size == 0 ||
	    o.value_size > bmc::kDefaultValueLimit)
		usage("out of range: duration 0..300 s, threads and memcached threads 1..64, "
		      "window 1..1024, entries 1..1048576, value size 1..1000 (BMC caches up to "
		      "1000 bytes)");
	return o;
}

void check_stop()
{
	if (g_stop)
		throw Error("interrupted");
}

// The empty XDP program on the client's eth0, so that XDP_TX replies arrive there.
class ClientXdpPass {
public:
	explicit ClientXdpPass(const Testbed &tb)
		: obj_(loader::BpfObject::open_embedded("empty_progs")), ns_(tb.client())
	{
		obj_.load();
		loader::NetnsScope in(ns_);
		ifindex_ = static_cast<int>(if_nametoindex(Testbed::kIfname));
		int fd = obj_.program_fd("empty_xdp");
		int err = ifindex_ > 0 ? bpf_xdp_attach(ifindex_, fd, XDP_FLAGS_DRV_MODE, nullptr)
				       : -ENODEV;
		if (err)
			throw Error("cannot attach the empty XDP program to the client's eth0: " +
				    std::string(std::strerror(-err)));
	}
	~ClientXdpPass()
	{
		try {
			loader::NetnsScope in(ns_);
			bpf_xdp_detach(ifindex_, XDP_FLAGS_DRV_MODE, nullptr);
		} catch (const std::exception &) {
		}
	}
	ClientXdpPass(const ClientXdpPass &) = delete;
	ClientXdpPass &operator=(const ClientXdpPass &) = delete;

private:
	loader::BpfObject obj_;
	std::string ns_;
	int ifindex_ = 0;
};

// netext's BMC attached to the server's eth0 as `netext -n SERVER attach eth0 bmc` does.
class NetextBmc {
public:
	NetextBmc(const Testbed &tb, uint32_t entries) : ns_(tb.server())
	{
		loader::NetnsScope in(ns_);
		loader::AttachRequest req;
		req.ifname = Testbed::kIfname;
		req.app = "bmc";
		req.sets["entries"] = std::to_string(entries);
		a_ = loader::attach(req);
		try {
			stats_ = loader::open_pinned_map(a_, "bmc_stats");
		} catch (...) {
			loader::detach(Testbed::kIfname, "bmc");
			throw;
		}
	}
	~NetextBmc()
	{
		if (stats_ >= 0)
			close(stats_);
		try {
			loader::NetnsScope in(ns_);
			loader::detach(Testbed::kIfname, "bmc");
		} catch (const std::exception &e) {
			std::fprintf(stderr, "netext-bench-bmc-e2e: detach bmc: %s\n", e.what());
		}
	}
	NetextBmc(const NetextBmc &) = delete;
	NetextBmc &operator=(const NetextBmc &) = delete;

	[[nodiscard]] uint64_t stat(bmc::Stat s) const
	{
		return loader::map_u64_sums(stats_, s, 1)[0];
	}
	[[nodiscard]] std::string xdp_mode() const
	{
		return a_.xdp_mode ? loader::to_string(*a_.xdp_mode) : "";
	}

private:
	std::string ns_;
	loader::Attachment a_;
	int stats_ = -1;
};

struct LoadResult {
	uint64_t sent = 0, answered = 0, lost = 0;
	double req_per_s = 0, hit_ratio = 0;
	uint64_t p50_us = 0, p99_us = 0;
};

std::vector<std::string> split(const std::string &line)
{
	std::vector<std::string> cols;
	std::stringstream ss(line);
	std::string c;
	while (std::getline(ss, c, ','))
		cols.push_back(c);
	return cols;
}

// Runs netext-mcload in the client namespace (ip netns exec execs it: the PID is its own),
// killed if it outlives its duration by a minute; returns its CSV row.
LoadResult run_load(const Testbed &tb, const Options &o, const std::string &label, double secs,
		    bool warmup)
{
	std::string csv = "/tmp/netext-bench-e2e-" + std::to_string(getpid()) + ".csv";
	std::string log = "/tmp/netext-bench-e2e-" + std::to_string(getpid()) + ".log";
	std::remove(csv.c_str());
	std::vector<std::string> args = {"ip",
					 "netns",
					 "exec",
					 tb.client(),
					 o.mcload,
					 "--server",
					 Testbed::kServerIp4,
					 "--keys",
					 std::to_string(o.keys),
					 "--value-size",
					 std::to_string(o.value_size),
					 "--zipf",
					 "0.99",
					 "--duration",
					 std::to_string(secs),
					 "--threads",
					 std::to_string(o.threads),
					 "--window",
					 std::to_string(o.window),
					 "--csv",
					 csv,
					 "--label",
					 label};
	if (warmup)
		args.emplace_back("--warmup");
	check_stop();
	pid_t pid = fork();
	if (pid < 0)
		throw Error("fork: " + std::string(std::strerror(errno)));
	if (pid == 0) {
		std::vector<char *> argv;
		for (std::string &a : args)
			argv.push_back(a.data());
		argv.push_back(nullptr);
		FILE *f = std::fopen(log.c_str(), "w");
		if (f) {
			dup2(fileno(f), 1);
			dup2(fileno(f), 2);
		}
		execvp("ip", argv.data());
		_exit(127);
	}
	g_child = pid;
	auto deadline = std::chrono::steady_clock::now() +
			std::chrono::milliseconds(static_cast<long>(secs * 1000) + 60000);
	int status = 0;
	bool killed = false;
	while (true) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			break;
		if (!killed && std::chrono::steady_clock::now() > deadline) {
			kill(pid, SIGKILL);
			killed = true;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	g_child = 0;
	std::string out;
	{
		std::ifstream f(log);
		std::stringstream ss;
		ss << f.rdbuf();
		out = ss.str();
	}
	std::remove(log.c_str());
	check_stop();
	if (killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		std::remove(csv.c_str());
		throw Error("netext-mcload (" + label + ") failed" +
			    (killed ? std::string(" (killed: over time)") : std::string()) + ": " +
			    out);
	}
	std::ifstream f(csv);
	std::string line, last;
	while (std::getline(f, line))
		if (!line.empty())
			last = line;
	std::remove(csv.c_str());
	// label,sent,answered,lost,req_per_s,hit_ratio,p50_us,p99_us,...
	std::vector<std::string> c = split(last);
	if (c.size() < 8 || c[0] != label)
		throw Error("netext-mcload (" + label + ") wrote no CSV row: " + out);
	LoadResult r;
	r.sent = std::stoull(c[1]);
	r.answered = std::stoull(c[2]);
	r.lost = std::stoull(c[3]);
	r.req_per_s = std::stod(c[4]);
	r.hit_ratio = std::stod(c[5]);
	r.p50_us = std::stoull(c[6]);
	r.p99_us = std::stoull(c[7]);
	return r;
}

struct Row {
	std::string config;
	std::string xdp_mode;
	LoadResult load;
	uint64_t bmc_hits = 0;	 // GETs answered from XDP during the measured run
	uint64_t bmc_misses = 0; // GETs passed to memcached (netext: GETs; baseline: keys)
	uint64_t bmc_fills = 0;
	bool has_bmc = false;
};

// Warm-up (unmeasured), then the measured run with counters read around it.
Row measure(const Testbed &tb, const Options &o, const std::string &config,
	    const std::function<std::vector<uint64_t>()> &counters)
{
	std::printf("[%s] warm-up: SET %u keys over TCP, %.0f s of GETs ...\n", config.c_str(),
		    o.keys, o.warm);
	std::fflush(stdout);
	(void)run_load(tb, o, config + "-warm", o.warm, true);
	std::printf("[%s] measuring %.1f s ...\n", config.c_str(), o.duration);
	std::fflush(stdout);
	std::vector<uint64_t> before = counters ? counters() : std::vector<uint64_t>{};
	Row r;
	r.config = config;
	r.load = run_load(tb, o, config, o.duration, false);
	if (counters) {
		std::vector<uint64_t> after = counters();
		r.has_bmc = true;
		r.bmc_hits = after[0] - before[0];
		r.bmc_misses = after[1] - before[1];
		r.bmc_fills = after[2] - before[2];
	}
	return r;
}

int run(const Options &o)
{
	if (geteuid() != 0)
		throw Error("needs root (network namespaces, BPF)", ExitCode::Permission);
	if (access(o.mcload.c_str(), X_OK) != 0)
		throw Error("no load generator at " + o.mcload +
				    " (build netext-mcload, or --mcload)",
			    ExitCode::NotFound);
	if (shell("command -v memcached >/dev/null") != 0)
		throw Error("memcached is not installed (scripts/install-deps.sh)",
			    ExitCode::NotFound);

	Testbed tb;
	// After the testbed's own handlers: ours stop the load generator and unwind, so that
	// every destructor below (detach, memcached, namespaces) runs.
	struct sigaction sa {};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	std::printf("testbed: %s (%s) <-veth-> %s (%s)\n", tb.client().c_str(), Testbed::kClientIp4,
		    tb.server().c_str(), Testbed::kServerIp4);

	ClientXdpPass client_pass(tb);
	MemcachedServer mc(tb, o.memcached_threads, 256);
	std::printf("memcached pid %d in %s: -t %u -m 256; mcload: %u keys, value %u B, "
		    "zipf 0.99, %u thread(s) x window %u; BMC cache slots: %u\n\n",
		    static_cast<int>(mc.pid()), tb.server().c_str(), o.memcached_threads, o.keys,
		    o.value_size, o.threads, o.window, o.entries);

	// Each round measures every configuration; the order rotates from round to round, so
	// that none always runs first or last on a machine whose speed drifts. Reported: the
	// round with the median requests/s, per configuration.
	bench::BaselineBmc base(o.entries);
	auto run_memcached = [&] { return measure(tb, o, "memcached", nullptr); };
	auto run_baseline = [&] {
		{
			loader::NetnsScope in(tb.server());
			base.attach(static_cast<int>(if_nametoindex(Testbed::kIfname)));
		}
		Row r = measure(tb, o, "baseline-bmc", [&] {
			std::map<std::string, uint64_t> s = base.stats();
			return std::vector<uint64_t>{s["hit_count"], s["miss_count"],
						     s["update_count"]};
		});
		r.xdp_mode = base.xdp_mode();
		base.detach();
		return r;
	};
	auto run_netext = [&] {
		NetextBmc nx(tb, o.entries);
		Row r = measure(tb, o, "netext-bmc", [&] {
			return std::vector<uint64_t>{nx.stat(bmc::Hits), nx.stat(bmc::Misses),
						     nx.stat(bmc::Fills)};
		});
		r.xdp_mode = nx.xdp_mode();
		return r;
	};
	const std::function<Row()> configs[] = {run_memcached, run_baseline, run_netext};
	constexpr std::size_t kConfigs = std::size(configs);
	std::vector<Row> all[kConfigs];
	for (unsigned round = 0; round < o.rounds; round++) {
		if (o.rounds > 1)
			std::printf("-- round %u of %u\n", round + 1, o.rounds);
		for (std::size_t k = 0; k < kConfigs; k++) {
			std::size_t c = (k + round) % kConfigs;
			all[c].push_back(configs[c]());
			check_stop();
		}
	}
	std::vector<Row> rows;
	std::vector<std::pair<double, double>> spread; // min, max req/s over the rounds
	for (std::vector<Row> &runs : all) {
		std::sort(runs.begin(), runs.end(), [](const Row &a, const Row &b) {
			return a.load.req_per_s < b.load.req_per_s;
		});
		rows.push_back(runs[runs.size() / 2]);
		spread.emplace_back(runs.front().load.req_per_s, runs.back().load.req_per_s);
	}

	std::filesystem::path csv_path(o.csv);
	if (csv_path.has_parent_path())
		std::filesystem::create_directories(csv_path.parent_path());
	{
		std::ofstream csv(o.csv);
		csv << "config,req_per_s,hit_ratio,p50_us,p99_us,sent,answered,lost,bmc_hits,"
		       "bmc_misses,bmc_fills,xdp_mode,duration_s,keys,value_size,threads,window,"
		       "memcached_threads,entries,rounds,req_per_s_min,req_per_s_max\n";
		for (std::size_t i = 0; i < rows.size(); i++) {
			const Row &r = rows[i];
			csv << r.config << "," << r.load.req_per_s << "," << r.load.hit_ratio << ","
			    << r.load.p50_us << "," << r.load.p99_us << "," << r.load.sent << ","
			    << r.load.answered << "," << r.load.lost << ","
			    << (r.has_bmc ? std::to_string(r.bmc_hits) : "") << ","
			    << (r.has_bmc ? std::to_string(r.bmc_misses) : "") << ","
			    << (r.has_bmc ? std::to_string(r.bmc_fills) : "") << "," << r.xdp_mode
			    << "," << o.duration << "," << o.keys << "," << o.value_size << ","
			    << o.threads << "," << o.window << "," << o.memcached_threads << ","
			    << o.entries << "," << o.rounds << "," << spread[i].first << ","
			    << spread[i].second << "\n";
		}
	}

	std::printf("\n%-13s %-6s %10s %17s %7s %7s %7s %8s %10s %7s %9s\n", "config", "xdp",
		    "req/s", "(min..max)", "hit", "p50_us", "p99_us", "lost", "BMC hits", "BMC %",
		    "fills");
	for (std::size_t i = 0; i < rows.size(); i++) {
		const Row &r = rows[i];
		char share[16] = "-", hits[24] = "-", fills[24] = "-";
		if (r.has_bmc) {
			std::snprintf(hits, sizeof hits, "%lu", r.bmc_hits);
			std::snprintf(fills, sizeof fills, "%lu", r.bmc_fills);
			if (r.load.answered)
				std::snprintf(share, sizeof share, "%.1f",
					      100.0 * static_cast<double>(r.bmc_hits) /
						      static_cast<double>(r.load.answered));
		}
		char range[40];
		std::snprintf(range, sizeof range, "(%.0f..%.0f)", spread[i].first,
			      spread[i].second);
		std::printf("%-13s %-6s %10.0f %17s %7.4f %7lu %7lu %8lu %10s %7s %9s\n",
			    r.config.c_str(), r.xdp_mode.empty() ? "-" : r.xdp_mode.c_str(),
			    r.load.req_per_s, range, r.load.hit_ratio, r.load.p50_us, r.load.p99_us,
			    r.load.lost, hits, share, fills);
	}
	std::printf("\n%u round(s), configurations in rotated order; per configuration the round "
		    "with the median req/s (min..max over the rounds).\n",
		    o.rounds);
	std::printf("req/s, hit (keys found / asked), p50/p99 and lost: netext-mcload over "
		    "%.1f s after warm-up;\nBMC hits: GETs answered from XDP in that run (the "
		    "app's counters), BMC %% = BMC hits / answered.\nCSV: %s\n",
		    o.duration, o.csv.c_str());

	if (!o.png.empty() && o.png != "none") {
		std::string out;
		if (shell(o.plot + " bmc-e2e '" + o.csv + "' '" + o.png + "'", &out) == 0)
			std::printf("PNG: %s\n", o.png.c_str());
		else
			std::printf("no PNG (%s): %s", o.plot.c_str(), out.c_str());
	}
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	Options o = parse(argc, argv);
	try {
		return run(o);
	} catch (const std::exception &e) {
		std::fprintf(stderr, "netext-bench-bmc-e2e: %s\n", e.what());
		const auto *ne = dynamic_cast<const Error *>(&e);
		return ne ? static_cast<int>(ne->code()) : 1;
	}
}
