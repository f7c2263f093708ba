// netext-bench-linerate --app bmc|sink: the BMC configurations at line rate.
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>
#include <netext/loader/object.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <unistd.h>

#include "baseline.hpp"
#include "bmc.hpp"
#include "linegen.hpp"
#include "linerate_common.hpp"
#include "memcached.hpp"

namespace netext::bench::linerate {

using netext::testing::MemcachedServer;
using netext::testing::shell;
using netext::testing::Testbed;

namespace {

// One configuration: brought up, measured, brought down.
struct Config {
	std::string name;
	// Brings it up; returns what to destroy to bring it down.
	std::function<std::shared_ptr<void>()> up;
	// GETs answered by the cache so far (cumulative), null without a cache.
	std::function<double()> cache_answers;
	// CPU seconds the serving side used so far (cumulative), beside memcached's own.
	std::function<double()> extra_cpu;
};

struct Row {
	std::string config;
	uint32_t k = 0;
	GenRun run;
	double cache_answers = 0;
	double serving_cpu_s = 0;
	std::string note;
	[[nodiscard]] double answered() const { return run.answered_pps(); }
};

std::string fmt(const char *f, double v)
{
	char b[48];
	std::snprintf(b, sizeof b, f, v);
	return b;
}

} // namespace

int run_bmc(const Settings &s, bool sink_only)
{
	if (geteuid() != 0)
		throw Error("needs root (network namespaces, BPF)", ExitCode::Permission);
	if (!sink_only && shell("command -v memcached >/dev/null") != 0)
		throw Error("memcached is not installed (scripts/install-deps.sh)",
			    ExitCode::NotFound);
	unsigned ncpu = std::thread::hardware_concurrency();
	Testbed tb;
	StatsEnabled stats_on;
	std::printf("testbed: %s (%s) <-veth-> %s (%s); generator on CPU 0\n", tb.client().c_str(),
		    Testbed::kClientIp4, tb.server().c_str(), Testbed::kServerIp4);
	std::unique_ptr<MemcachedServer> mc;
	pid_t mc_pid = 0;
	if (!sink_only) {
		mc = std::make_unique<MemcachedServer>(tb, 1, 256);
		mc_pid = mc->pid();
		if (ncpu > 1)
			shell("taskset -a -pc 1 " + std::to_string(mc_pid) + " >/dev/null");
		std::printf(
			"memcached pid %d (-t 1, CPU %s); storing %u keys (32-byte values) ...\n",
			static_cast<int>(mc_pid), ncpu > 1 ? "1" : "0", s.key_space);
		store_keys(tb, s.key_space);
	}
	std::fflush(stdout);
	auto server_xdp_cpu = [&] { return prog_run_s(xdp_prog_id(tb.server(), "eth0")); };

	loader::BpfObject empty = loader::BpfObject::open_embedded("empty_progs");
	empty.load();
	std::unique_ptr<BaselineBmc> base;
	std::vector<Config> configs;
	int drop_fd = -1; // the current generator's drop sink
	uint32_t cur_k = 1;
	if (sink_only || s.wants("generator")) {
		configs.push_back({"generator->drop",
				   [&] { return std::make_shared<ServerXdp>(tb, drop_fd); },
				   nullptr, server_xdp_cpu});
	}
	if (!sink_only && s.wants("memcached"))
		configs.push_back({"memcached",
				   [&] {
					   return std::make_shared<ServerXdp>(
						   tb, empty.program_fd("empty_xdp"));
				   },
				   nullptr, server_xdp_cpu});
	if (!sink_only && s.wants("baseline-bmc")) {
		base = std::make_unique<BaselineBmc>(s.entries);
		configs.push_back(
			{"baseline-bmc",
			 [&] {
				 loader::NetnsScope in(tb.server());
				 base->attach(static_cast<int>(if_nametoindex("eth0")));
				 return std::shared_ptr<void>(base.get(),
							      [](BaselineBmc *x) { x->detach(); });
			 },
			 // it counts keys answered from the cache, and answers a GET only if every
			 // key hits
			 [&] { return static_cast<double>(base->stats()["hit_count"]) / cur_k; },
			 server_xdp_cpu});
	}
	struct Netext {
		std::string ns;
		loader::Attachment a;
		int stats = -1;
		Netext() = default;
		Netext(const Netext &) = delete;
		Netext &operator=(const Netext &) = delete;
		~Netext()
		{
			if (stats >= 0)
				close(stats);
			try {
				loader::NetnsScope in(ns);
				loader::detach("eth0", "bmc");
			} catch (const std::exception &) {
			}
		}
	};
	std::shared_ptr<Netext> nx_now;
	if (!sink_only && s.wants("netext-bmc"))
		configs.push_back({"netext-bmc",
				   [&] {
					   auto n = std::make_shared<Netext>();
					   n->ns = tb.server();
					   loader::NetnsScope in(n->ns);
					   loader::AttachRequest req;
					   req.ifname = "eth0";
					   req.app = "bmc";
					   req.sets["entries"] = std::to_string(s.entries);
					   n->a = loader::attach(req);
					   n->stats = loader::open_pinned_map(n->a, "bmc_stats");
					   nx_now = n;
					   return std::shared_ptr<void>(n);
				   },
				   [&] {
					   return nx_now ? static_cast<double>(loader::map_u64_sums(
								   nx_now->stats, bmc::Hits, 1)[0])
							 : 0.0;
				   },
				   server_xdp_cpu});
	std::shared_ptr<DpdkBump> bump_now;
	std::string dpdk_memory;
	if (!sink_only && s.wants("dpdk-bmc") && !s.dpdk.empty())
		configs.push_back(
			{"dpdk-bmc",
			 [&] {
				 bump_now = std::make_shared<DpdkBump>(
					 tb, s.dpdk, "bmc",
					 std::vector<std::string>{
						 "--set", "entries=" + std::to_string(s.entries),
						 "--pmd", s.dpdk_pmd});
				 dpdk_memory = bump_now->memory();
				 if (s.dpdk_pmd == "af_xdp")
					 return std::shared_ptr<void>(bump_now);
				 // af_packet: frames sent with XDP_TX reach a veth only if it has
				 // an XDP program; strict reverse-path filtering keeps the kernel
				 // from taking the TAP's address on eth0 too
				 tb.run(tb.server(), "sysctl -qw net.ipv4.conf.eth0.rp_filter=1");
				 auto pass = std::make_shared<ServerXdp>(
					 tb, empty.program_fd("empty_xdp"));
				 return std::shared_ptr<void>(
					 new std::pair<std::shared_ptr<DpdkBump>,
						       std::shared_ptr<ServerXdp>>(bump_now, pass),
					 [](auto *p) { delete p; });
			 },
			 [&] { return bump_now ? bump_now->counter("xdp_tx") : 0.0; },
			 [&] { return bump_now ? process_cpu_s(bump_now->pid()) : 0.0; }});
	if (configs.empty())
		throw Error("--configs names no configuration (memcached, baseline-bmc, "
			    "netext-bmc, dpdk-bmc)",
			    ExitCode::Usage);

	auto mc_cpu = [&] { return mc_pid > 0 ? process_cpu_s(mc_pid) : 0.0; };
	std::vector<Row> rows; // per K and config: the median round
	std::vector<std::pair<double, double>> spread;
	for (uint32_t k : s.keys_per_get) {
		cur_k = k;
		GenConfig gc;
		gc.keys_per_get = k;
		gc.key_space = s.key_space;
		gc.zipf = s.zipf;
		gc.miss_ratio = sink_only ? 0 : s.miss;
		LineGen gen(tb, gc);
		drop_fd = gen.drop_prog_fd();
		std::vector<std::vector<Row>> all(configs.size());
		for (unsigned round = 0; round < s.rounds; round++) {
			for (std::size_t j = 0; j < configs.size(); j++) {
				std::size_t c = (j + round) % configs.size();
				Config &cfg = configs[c];
				std::printf("[%u key%s] %s: round %u ...\n", k, k > 1 ? "s" : "",
					    cfg.name.c_str(), round + 1);
				std::fflush(stdout);
				std::shared_ptr<void> up = cfg.up();
				bool drop = cfg.name == "generator->drop";
				if (!drop) // fills the caches: ~100 GETs per stored key
					gen.run(s.warm, std::min(400000.0,
								 100.0 * s.key_space / k / s.warm));
				std::this_thread::sleep_for(std::chrono::milliseconds(100));
				double cache0 = cfg.cache_answers ? cfg.cache_answers() : 0;
				double cpu0 = mc_cpu() + (cfg.extra_cpu ? cfg.extra_cpu() : 0);
				Row r;
				r.config = cfg.name;
				r.k = k;
				r.run = gen.run(s.duration, 0);
				std::this_thread::sleep_for(std::chrono::milliseconds(150));
				r.cache_answers =
					(cfg.cache_answers ? cfg.cache_answers() : 0) - cache0;
				r.serving_cpu_s =
					mc_cpu() + (cfg.extra_cpu ? cfg.extra_cpu() : 0) - cpu0;
				up.reset();
				nx_now.reset();
				bump_now.reset();
				all[c].push_back(r);
			}
		}
		for (std::vector<Row> &runs : all) {
			// the drop sink's figure is what the generator offers, the others' what
			// was answered
			bool drop = runs[0].config == "generator->drop";
			auto key = [drop](const Row &r) {
				return drop ? r.run.offered_pps() : r.answered();
			};
			std::sort(runs.begin(), runs.end(),
				  [&](const Row &a, const Row &b) { return key(a) < key(b); });
			rows.push_back(runs[runs.size() / 2]);
			spread.emplace_back(key(runs.front()), key(runs.back()));
		}
	}

	std::filesystem::path csv_path(s.csv);
	if (csv_path.has_parent_path())
		std::filesystem::create_directories(csv_path.parent_path());
	std::ofstream csv(s.csv);
	csv << "keys_per_get,config,answered_rps,answered_min,answered_max,offered_pps,hit_pct,"
	       "cache_pct,p50_us,p99_us,serving_cpu,gen_cpu,errors,answers,values,rounds,"
	       "duration_s,key_space,zipf,miss,bad_format,bad_value,bad_id,late\n";
	std::printf("\n%4s %-16s %11s %25s %11s %6s %7s %7s %7s %7s %6s %6s\n", "keys", "config",
		    "answered/s", "(min..max)", "offered/s", "hit%", "cache%", "p50us", "p99us",
		    "srvCPU", "genCPU", "errors");
	std::map<uint32_t, double> gen_offered;			 // per K: flat out
	std::map<uint32_t, std::pair<std::string, double>> best; // per K: best answered
	for (std::size_t i = 0; i < rows.size(); i++) {
		const Row &r = rows[i];
		const bench::GenCounters &d = r.run.delta;
		double hit = d.answers ? 100.0 * static_cast<double>(d.values) /
						 (static_cast<double>(d.answers) * r.k)
				       : 0;
		double cache =
			d.answers ? 100.0 * r.cache_answers / static_cast<double>(d.answers) : 0;
		double p50 = d.latency_quantile_us(0.5), p99 = d.latency_quantile_us(0.99);
		double srv = r.serving_cpu_s / r.run.seconds,
		       gcpu = r.run.gen_cpu_s / r.run.seconds;
		std::string range = "(" + fmt("%.0f", spread[i].first) + ".." +
				    fmt("%.0f", spread[i].second) + ")";
		std::printf(
			"%4u %-16s %11.0f %25s %11.0f %6.1f %7.1f %7.1f %7.1f %7.2f %6.2f %6lu\n",
			r.k, r.config.c_str(), r.answered(), range.c_str(), r.run.offered_pps(),
			hit, cache, p50, p99, srv, gcpu, static_cast<unsigned long>(d.errors()));
		csv << r.k << "," << r.config << "," << r.answered() << "," << spread[i].first
		    << "," << spread[i].second << "," << r.run.offered_pps() << "," << hit << ","
		    << cache << "," << p50 << "," << p99 << "," << srv << "," << gcpu << ","
		    << d.errors() << "," << d.answers << "," << d.values << "," << s.rounds << ","
		    << s.duration << "," << s.key_space << "," << s.zipf << "," << s.miss << ","
		    << d.bad_format << "," << d.bad_value << "," << d.bad_id << "," << d.late
		    << "\n";
		if (r.config == "generator->drop")
			gen_offered[r.k] = r.run.offered_pps();
		else if (r.answered() > best[r.k].second)
			best[r.k] = {r.config, r.answered()};
	}
	csv.close();
	std::printf(
		"\n%u round(s) of %.1f s per configuration, rotated order; the median round "
		"(min..max over rounds).\nanswered/s: complete answers the client checked (each "
		"value its key's, request ids matched);\nhit%%: values received / keys asked; "
		"cache%%: answers made by the BMC (its counters);\nsrvCPU: cores used serving "
		"(memcached's CPU time incl. tc egress + the server's XDP program run time,\nor "
		"the DPDK process); genCPU: the generating thread. Flat-out load, %.0f%% of keys "
		"never stored.\nlate: answers to an earlier use of their 16-bit request id (an "
		"overloaded server's\nqueue; CSV only, not errors).\n",
		s.rounds, s.duration, 100 * s.miss);
	// the generator is not the limit: what it offers flat out into a drop sink against
	// the best answered rate (answers are one frame per request)
	for (auto &[k, offered] : gen_offered)
		if (best[k].second > 0)
			std::printf("generator, %u key%s: flat out %.0f/s offered (drop sink) = "
				    "%.1fx the best answered rate (%s, %.0f/s)\n",
				    k, k > 1 ? "s" : "", offered, offered / best[k].second,
				    best[k].first.c_str(), best[k].second);
	if (!dpdk_memory.empty())
		std::printf("DPDK memory: %s\n", dpdk_memory.c_str());
	std::printf("CSV: %s\n", s.csv.c_str());
	if (!s.png.empty() && s.png != "none") {
		std::string out;
		if (shell(s.plot + " '" + s.csv + "' '" + s.png + "'", &out) == 0)
			std::printf("PNG: %s\n", s.png.c_str());
		else
			std::printf("no PNG (%s): %s", s.plot.c_str(), out.c_str());
	}
	return 0;
}

} // namespace netext::bench::linerate
