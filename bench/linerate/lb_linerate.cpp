// netext-bench-linerate --app lb: established-flow packets forwarded per second, netext's LB
// (eBPF) vs the same LB source on DPDK (netext-dpdk-bump), on the BMC runs' testbed.
//
//   client: lbgen (BPF_PROG_TEST_RUN, live frames) sends UDP datagrams of F flows to the VIP
//           198.18.1.10:7000; lbsink counts and checks what the LB sends on (lbgen.bpf.c)
//   server: the LB, one VIP with kBackends backends 198.18.0.11.. whose neighbour entries
//           (static) name the client's MAC: the LB's XDP_TX sends each encapsulated datagram
//           straight back to the client, where lbsink checks it
//
// One generator (and its per-flow record of the backend each flow went to) serves every
// configuration in turn, so a flow the DPDK LB sends to another backend than the eBPF LB
// did is counted ("moved"): both must forward every flow to the same backend.
#include <netext/lb/balancer.hpp>
#include <netext/lb/config.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>
#include <netext/loader/object.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <pthread.h>
#include <sched.h>
#include <thread>
#include <unistd.h>

#include "linerate_common.hpp"

namespace netext::bench::linerate {

using netext::testing::shell;
using netext::testing::Testbed;

namespace {

constexpr const char *kVip = "198.18.1.10";
constexpr uint16_t kVipPort = 7000;
constexpr uint32_t kBackendBase = 0xc612000b; // 198.18.0.11
constexpr uint32_t kBackends = 4;
constexpr uint32_t kFrameLen = 58;
constexpr uint32_t kFlowPort = 1024;
constexpr uint32_t kMaxFlows = 65536 - kFlowPort;
enum LbCounter : uint32_t { LForwarded, LBad, LMoved, LMax };

struct LbCfgMap {
	uint32_t flows;
	uint32_t backend_base;
	uint32_t backends;
	uint32_t vip;
	uint8_t frame[64];
};

std::array<uint8_t, 6> mac_of(const Testbed &tb, const std::string &ns)
{
	std::string s = tb.output(ns, "cat /sys/class/net/eth0/address");
	std::array<uint8_t, 6> m{};
	unsigned v[6];
	if (std::sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) !=
	    6)
		throw Error("cannot read a MAC address from '" + s + "'");
	for (int i = 0; i < 6; i++)
		m[static_cast<std::size_t>(i)] = static_cast<uint8_t>(v[i]);
	return m;
}

std::string backend_ip(uint32_t i)
{
	in_addr a{htonl(kBackendBase + i)};
	char b[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, b, sizeof b);
	return b;
}

// The LB's configuration (`netext lb apply`'s JSON): the VIP and its backends.
std::string lb_config_json()
{
	std::string j = std::string("{\"vips\": [{\"vip\": \"") + kVip + ":" +
			std::to_string(kVipPort) + "/udp\", \"backends\": [";
	for (uint32_t i = 0; i < kBackends; i++)
		j += std::string(i ? ", " : "") + "{\"address\": \"" + backend_ip(i) + "\"}";
	return j + "]}]}\n";
}

struct Counts {
	uint64_t forwarded = 0, bad = 0, moved = 0, sent = 0;
};

// The generator and its sink on the client's eth0.
class LbGen {
public:
	LbGen(const Testbed &tb, uint32_t flows)
		: ns_(tb.client()), obj_(loader::BpfObject::open_embedded("linerate_lbgen"))
	{
		if (flows < 1 || flows > kMaxFlows)
			throw Error("--flows must be 1.." + std::to_string(kMaxFlows),
				    ExitCode::Usage);
		obj_.load();
		auto smac = mac_of(tb, tb.server()), cmac = mac_of(tb, tb.client());
		frame_.assign(64, 0);
		uint8_t *f = frame_.data();
		std::memcpy(f, smac.data(), 6);
		std::memcpy(f + 6, cmac.data(), 6);
		f[12] = 0x08;
		uint8_t *ip = f + 14;
		uint16_t ip_len = kFrameLen - 14;
		ip[0] = 0x45;
		ip[2] = static_cast<uint8_t>(ip_len >> 8);
		ip[3] = static_cast<uint8_t>(ip_len);
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, Testbed::kClientIp4, ip + 12);
		inet_pton(AF_INET, kVip, ip + 16);
		uint32_t sum = 0;
		for (int i = 0; i < 20; i += 2)
			sum += static_cast<uint32_t>(ip[i] << 8 | ip[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		ip[10] = static_cast<uint8_t>(~sum >> 8);
		ip[11] = static_cast<uint8_t>(~sum);
		uint8_t *udp = ip + 20;
		udp[0] = kFlowPort >> 8;
		udp[1] = kFlowPort & 0xff;
		udp[2] = kVipPort >> 8;
		udp[3] = kVipPort & 0xff;
		udp[5] = static_cast<uint8_t>(ip_len - 20);
		std::memcpy(udp + 8, "BLXN", 4); // the magic, 0x4e584c42 little-endian
		LbCfgMap c{};
		c.flows = flows;
		c.backend_base = kBackendBase;
		c.backends = kBackends;
		std::memcpy(&c.vip, ip + 16, 4);
		std::memcpy(c.frame, f, 64);
		uint32_t zero = 0;
		if (bpf_map_update_elem(obj_.map_fd("lb_cfg"), &zero, &c, 0))
			throw Error("cannot write the LB generator's configuration: " +
				    std::string(std::strerror(errno)));
		struct State {
			uint64_t rng, sent;
		};
		std::vector<State> st(static_cast<std::size_t>(loader::possible_cpus()));
		for (std::size_t i = 0; i < st.size(); i++)
			st[i] = {0x9E3779B97F4A7C15ULL * (i + 1) ^ static_cast<uint64_t>(getpid()),
				 0};
		bpf_map_update_elem(obj_.map_fd("lb_state"), &zero, st.data(), 0);
		frame_.resize(kFrameLen); // the frame sent; the program writes 64 bytes of page
		loader::NetnsScope in(ns_);
		ifindex_ = static_cast<int>(if_nametoindex(Testbed::kIfname));
		int err = ifindex_ > 0 ? bpf_xdp_attach(ifindex_, obj_.program_fd("lbsink"),
							XDP_FLAGS_DRV_MODE, nullptr)
				       : -ENODEV;
		if (err)
			throw Error("cannot attach the LB sink (lbsink) to the client's eth0: " +
				    std::string(std::strerror(-err)));
	}
	~LbGen()
	{
		try {
			loader::NetnsScope in(ns_);
			bpf_xdp_detach(ifindex_, XDP_FLAGS_DRV_MODE, nullptr);
		} catch (const std::exception &) {
		}
	}
	LbGen(const LbGen &) = delete;
	LbGen &operator=(const LbGen &) = delete;

	[[nodiscard]] int drop_prog_fd() const { return obj_.program_fd("lbdrop"); }

	[[nodiscard]] Counts counts() const
	{
		Counts c;
		int fd = obj_.map_fd("lb_counters");
		uint64_t *out[] = {&c.forwarded, &c.bad, &c.moved};
		std::vector<uint64_t> v(static_cast<std::size_t>(loader::possible_cpus()));
		for (uint32_t i = 0; i < LMax; i++)
			if (bpf_map_lookup_elem(fd, &i, v.data()) == 0)
				for (uint64_t x : v)
					*out[i] += x;
		struct State {
			uint64_t rng, sent;
		};
		std::vector<State> st(v.size());
		uint32_t zero = 0;
		if (bpf_map_lookup_elem(obj_.map_fd("lb_state"), &zero, st.data()) == 0)
			for (const State &s : st)
				c.sent += s.sent;
		return c;
	}
	// Flows that reached a backend so far, and how many went to each backend.
	[[nodiscard]] std::pair<uint32_t, std::vector<uint32_t>> flows_seen() const
	{
		int fd = obj_.map_fd("flow_backend");
		std::vector<uint32_t> per(kBackends, 0);
		uint32_t n = 0;
		for (uint32_t i = 0; i < kMaxFlows; i++) {
			uint32_t b = 0;
			if (bpf_map_lookup_elem(fd, &i, &b) == 0 && b > 0 && b <= kBackends) {
				n++;
				per[b - 1]++;
			}
		}
		return {n, per};
	}

	struct Run {
		double seconds = 0, gen_cpu_s = 0;
		uint64_t offered = 0;
		Counts delta;
	};
	// Sends for `seconds` at `rate` packets/s (0: flat out) on CPU 0; bounded in time.
	Run run(double seconds, double rate)
	{
		Run r;
		Counts before = counts();
		std::string error;
		std::thread t([&] {
			try {
				cpu_set_t set;
				CPU_ZERO(&set);
				CPU_SET(0, &set);
				pthread_setaffinity_np(pthread_self(), sizeof set, &set);
				loader::NetnsScope in(ns_);
				xdp_md md{};
				md.data_end = kFrameLen;
				md.ingress_ifindex = static_cast<uint32_t>(ifindex_);
				timespec c0{}, c1{};
				clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
				auto t0 = std::chrono::steady_clock::now();
				auto end = t0 + std::chrono::duration<double>(seconds);
				uint32_t chunk =
					rate > 0 ? static_cast<uint32_t>(std::max(1.0, rate / 1000))
						 : 1u << 18;
				while (std::chrono::steady_clock::now() < end) {
					auto now = std::chrono::steady_clock::now();
					if (rate > 0) {
						auto due = t0 +
							   std::chrono::duration<double>(
								   static_cast<double>(r.offered) /
								   rate);
						if (due > now) {
							std::this_thread::sleep_until(
								std::min(due, end));
							continue;
						}
					}
					LIBBPF_OPTS(bpf_test_run_opts, opts,
						    .data_in = frame_.data(),
						    .data_size_in = kFrameLen, .ctx_in = &md,
						    .ctx_size_in = sizeof md,
						    .repeat = static_cast<int>(chunk),
						    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
						    .batch_size = 64);
					if (int err = bpf_prog_test_run_opts(
						    obj_.program_fd("lbgen"), &opts)) {
						error = "BPF_PROG_TEST_RUN (live frames) failed: " +
							std::string(std::strerror(-err));
						break;
					}
					r.offered += chunk;
				}
				clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
				r.seconds = std::chrono::duration<double>(
						    std::chrono::steady_clock::now() - t0)
						    .count();
				r.gen_cpu_s = static_cast<double>(c1.tv_sec - c0.tv_sec) +
					      static_cast<double>(c1.tv_nsec - c0.tv_nsec) * 1e-9;
			} catch (const std::exception &e) {
				error = e.what();
			}
		});
		t.join();
		if (!error.empty())
			throw Error("LB load generator: " + error);
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
		Counts after = counts();
		r.delta = {after.forwarded - before.forwarded, after.bad - before.bad,
			   after.moved - before.moved, after.sent - before.sent};
		return r;
	}

private:
	std::string ns_;
	loader::BpfObject obj_;
	int ifindex_ = 0;
	std::vector<uint8_t> frame_;
};

struct Config {
	std::string name;
	std::function<std::shared_ptr<void>()> up;
	std::function<double()> cpu; // serving side's CPU seconds so far
};

struct Row {
	std::string config;
	LbGen::Run run;
	double cpu_s = 0;
	[[nodiscard]] double forwarded_pps() const
	{
		return static_cast<double>(run.delta.forwarded) / run.seconds;
	}
	[[nodiscard]] double offered_pps() const
	{
		return static_cast<double>(run.offered) / run.seconds;
	}
};

// Static neighbour entries for the backends on `dev` in the server namespace: the client.
void neighbours(const Testbed &tb, const std::string &dev, const std::array<uint8_t, 6> &mac)
{
	char m[24];
	std::snprintf(m, sizeof m, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		      mac[4], mac[5]);
	for (uint32_t i = 0; i < kBackends; i++) {
		std::string cmd = "ip neigh replace " + backend_ip(i) + " lladdr " + m + " dev " +
				  dev + " nud permanent";
		if (tb.run(tb.server(), cmd) != 0)
			throw Error("'" + cmd + "' failed in " + tb.server());
	}
}

} // namespace

int run_lb(const Settings &s)
{
	if (geteuid() != 0)
		throw Error("needs root (network namespaces, BPF)", ExitCode::Permission);
	Testbed tb;
	StatsEnabled stats_on;
	auto cmac = mac_of(tb, tb.client());
	neighbours(tb, "eth0", cmac);
	// the kernel's FIB lookup (the LB's next hop) answers only where forwarding is on
	if (tb.run(tb.server(), "sysctl -qw net.ipv4.ip_forward=1") != 0)
		throw Error("cannot turn IPv4 forwarding on in " + tb.server());
	std::string json = lb_config_json();
	std::string json_path = "/tmp/netext-linerate-lb-" + std::to_string(getpid()) + ".json";
	{
		std::ofstream f(json_path);
		f << json;
	}
	std::shared_ptr<void> rm_json(nullptr, [&](void *) { std::remove(json_path.c_str()); });
	LbGen gen(tb, s.flows);
	std::printf("testbed: %s (%s) <-veth-> %s (%s); generator on CPU 0\n"
		    "VIP %s:%u/udp, %u backends %s..%s (static neighbours: the client), %u flows\n",
		    tb.client().c_str(), Testbed::kClientIp4, tb.server().c_str(),
		    Testbed::kServerIp4, kVip, kVipPort, kBackends, backend_ip(0).c_str(),
		    backend_ip(kBackends - 1).c_str(), s.flows);
	std::fflush(stdout);

	loader::BpfObject empty = loader::BpfObject::open_embedded("empty_progs");
	empty.load();
	auto server_xdp_cpu = [&] { return prog_run_s(xdp_prog_id(tb.server(), "eth0")); };
	std::vector<Config> configs;
	if (s.wants("generator"))
		configs.push_back(
			{"generator->drop",
			 [&] { return std::make_shared<ServerXdp>(tb, gen.drop_prog_fd()); },
			 server_xdp_cpu});
	if (s.wants("netext-lb"))
		configs.push_back({"netext-lb",
				   [&] {
					   // again: a DPDK run flushed eth0's addresses, and with
					   // the last one the kernel drops its neighbours
					   neighbours(tb, "eth0", cmac);
					   loader::NetnsScope in(tb.server());
					   loader::AttachRequest req;
					   req.ifname = "eth0";
					   req.app = "lb";
					   loader::attach(req);
					   std::shared_ptr<void> down(nullptr, [&](void *) {
						   try {
							   loader::NetnsScope in2(tb.server());
							   loader::detach("eth0", "lb");
						   } catch (const std::exception &) {
						   }
					   });
					   lb::Balancer b = lb::Balancer::open("eth0");
					   lb::apply_config(b, lb::parse_config(json, json_path));
					   return down;
				   },
				   server_xdp_cpu});
	std::shared_ptr<DpdkBump> bump_now;
	std::string dpdk_memory;
	if (s.wants("dpdk-lb") && !s.dpdk.empty())
		configs.push_back(
			{"dpdk-lb",
			 [&] {
				 bump_now = std::make_shared<DpdkBump>(
					 tb, s.dpdk, "lb",
					 std::vector<std::string>{"--lb-config", json_path, "--pmd",
								  s.dpdk_pmd});
				 dpdk_memory = bump_now->memory();
				 neighbours(tb, "dtap0", cmac);
				 // the bump reads the neighbours every second
				 std::this_thread::sleep_for(std::chrono::milliseconds(1100));
				 if (s.dpdk_pmd == "af_xdp")
					 return std::shared_ptr<void>(bump_now);
				 auto pass = std::make_shared<ServerXdp>(
					 tb, empty.program_fd("empty_xdp"));
				 return std::shared_ptr<void>(
					 new std::pair<std::shared_ptr<DpdkBump>,
						       std::shared_ptr<ServerXdp>>(bump_now, pass),
					 [](auto *p) { delete p; });
			 },
			 [&] { return bump_now ? process_cpu_s(bump_now->pid()) : 0.0; }});
	if (configs.empty())
		throw Error("--configs names no configuration (generator, netext-lb, dpdk-lb)",
			    ExitCode::Usage);

	std::vector<std::vector<Row>> all(configs.size());
	for (unsigned round = 0; round < s.rounds; round++)
		for (std::size_t j = 0; j < configs.size(); j++) {
			std::size_t c = (j + round) % configs.size();
			Config &cfg = configs[c];
			std::printf("%s: round %u ...\n", cfg.name.c_str(), round + 1);
			std::fflush(stdout);
			std::shared_ptr<void> up = cfg.up();
			// every flow established (about 20 packets each), then flat out
			gen.run(s.warm, std::min(400000.0, 20.0 * s.flows / s.warm));
			std::this_thread::sleep_for(std::chrono::milliseconds(100));
			double cpu0 = cfg.cpu();
			Row r;
			r.config = cfg.name;
			r.run = gen.run(s.duration, 0);
			r.cpu_s = cfg.cpu() - cpu0;
			up.reset();
			bump_now.reset();
			all[c].push_back(r);
		}

	std::filesystem::path csv_path(s.csv);
	if (csv_path.has_parent_path())
		std::filesystem::create_directories(csv_path.parent_path());
	std::ofstream csv(s.csv);
	csv << "flows,config,forwarded_pps,forwarded_min,forwarded_max,offered_pps,serving_cpu,"
	       "gen_cpu,forwarded,bad,moved,rounds,duration_s\n";
	std::printf("\n%6s %-16s %12s %25s %12s %7s %6s %8s %6s\n", "flows", "config",
		    "forwarded/s", "(min..max)", "offered/s", "srvCPU", "genCPU", "bad", "moved");
	double gen_best = 0, fwd_best = 0;
	std::string fwd_best_name;
	for (std::vector<Row> &runs : all) {
		bool drop = runs[0].config == "generator->drop";
		auto key = [&](const Row &r) { return drop ? r.offered_pps() : r.forwarded_pps(); };
		std::sort(runs.begin(), runs.end(),
			  [&](const Row &a, const Row &b) { return key(a) < key(b); });
		const Row &m = runs[runs.size() / 2];
		uint64_t bad = 0, moved = 0;
		for (const Row &r : runs) {
			bad += r.run.delta.bad;
			moved += r.run.delta.moved;
		}
		char range[64];
		std::snprintf(range, sizeof range, "(%.0f..%.0f)", key(runs.front()),
			      key(runs.back()));
		double srv = m.cpu_s / m.run.seconds, gcpu = m.run.gen_cpu_s / m.run.seconds;
		if (drop)
			gen_best = m.offered_pps();
		else if (m.forwarded_pps() > fwd_best) {
			fwd_best = m.forwarded_pps();
			fwd_best_name = m.config;
		}
		std::printf("%6u %-16s %12.0f %25s %12.0f %7.2f %6.2f %8lu %6lu\n", s.flows,
			    m.config.c_str(), drop ? 0.0 : m.forwarded_pps(), range,
			    m.offered_pps(), srv, gcpu, static_cast<unsigned long>(bad),
			    static_cast<unsigned long>(moved));
		csv << s.flows << "," << m.config << "," << (drop ? 0.0 : m.forwarded_pps()) << ","
		    << (drop ? 0.0 : key(runs.front())) << "," << (drop ? 0.0 : key(runs.back()))
		    << "," << m.offered_pps() << "," << srv << "," << gcpu << ","
		    << m.run.delta.forwarded << "," << bad << "," << moved << "," << s.rounds << ","
		    << s.duration << "\n";
	}
	csv.close();
	auto [seen, per] = gen.flows_seen();
	std::printf("\n%u round(s) of %.1f s per configuration, rotated order; the median round "
		    "(min..max over rounds).\nforwarded/s: datagrams the client received "
		    "encapsulated to a backend, checked (the datagram sent,\na backend's address); "
		    "bad: failed that check; moved: a flow at another backend than where it first\n"
		    "went (under any configuration: the DPDK LB must send each flow where the eBPF "
		    "LB did; all rounds summed).\nsrvCPU: cores used serving (the server's XDP "
		    "program run time, or the DPDK process).\n",
		    s.rounds, s.duration);
	std::printf("flows seen at a backend: %u of %u; per backend:", seen, s.flows);
	for (uint32_t x : per)
		std::printf(" %u", x);
	std::printf("\n");
	if (gen_best > 0 && fwd_best > 0)
		std::printf("generator: flat out %.0f/s offered (drop sink) = %.1fx the best "
			    "forwarded rate (%s, %.0f/s)\n",
			    gen_best, gen_best / fwd_best, fwd_best_name.c_str(), fwd_best);
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
