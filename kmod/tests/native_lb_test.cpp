// netext-native-lb-test NETEXT_KO LB_KO STUB_OBJ LB_BPF
//
// The LB app as eBPF and as native code, in the qemu guest (static binary): loads netext.ko
// and netext_app_lb.ko (built from apps/lb/lb.cpp), loads the LB's eBPF object twice (one
// copy runs as eBPF, the other's maps are bound to the native app through /dev/netext),
// configures both copies' maps identically with libnetext's control plane (Balancer, linked
// in), and runs the LB fixture scenarios (apps/lb/tests/lb_fixtures.cpp) and a mutated
// corpus through both with BPF_PROG_TEST_RUN, in a network namespace whose forwarding table
// makes the FIB lookups deterministic (a veth with resolved neighbours): identical verdicts
// and output bytes, the fixtures' expected results, identical stats totals and connection
// tables. Then the per-packet cost of both.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <netext/lb/balancer.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <map>
#include <net/if.h>
#include <sched.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "guest_bpf.hpp"
#include "lb_fixtures.hpp"
#include "modules.h"

namespace lbfix = netext::testing::lbfix;
namespace lb = netext::lb;
using netext::lb::Balancer;
using netext::lb::LbMaps;

// What the control plane needs from the rest of libnetext, for a binary that only has
// lb.cpp and maglev.cpp: the per-CPU helpers; no attachments (Balancer::open is not used).
namespace netext::loader {
int possible_cpus()
{
	return libbpf_num_possible_cpus();
}
std::vector<uint64_t> map_u64_sums(int map_fd, uint32_t index, std::size_t fields)
{
	std::vector<uint64_t> buf(static_cast<std::size_t>(possible_cpus()) * fields + 64);
	std::vector<uint64_t> sums(fields, 0);
	if (bpf_map_lookup_elem(map_fd, &index, buf.data()))
		return sums;
	for (int c = 0; c < possible_cpus(); c++)
		for (std::size_t f = 0; f < fields; f++)
			sums[f] += buf[static_cast<std::size_t>(c) * fields + f];
	return sums;
}
std::vector<Attachment> attachments(const std::string &)
{
	throw Error("netext-native-lb-test: no attachments here");
}
int open_pinned_map(const Attachment &, const std::string &)
{
	throw Error("netext-native-lb-test: no attachments here");
}
} // namespace netext::loader

using namespace netext::guest;

namespace {

// The LB's maps in one copy of the object.
struct LbCopy {
	Object o;
	int vips, backends, ring, conns, stats, nexthops;
	explicit LbCopy(Object obj)
		: o(obj), vips(o.map("lb_vips")), backends(o.map("lb_backends")),
		  ring(o.map("lb_ring")), conns(o.map("lb_conns")), stats(o.map("lb_stats")),
		  nexthops(o.map("lb_nexthops"))
	{}
	std::unique_ptr<LbMaps> maps() const
	{
		return LbMaps::from_fds(vips, backends, ring, stats);
	}
	// every map empty, as a fresh attachment has them
	void reset() const
	{
		for (int fd : {vips, conns}) {
			std::vector<uint8_t> k(64);
			while (bpf_map_get_next_key(fd, nullptr, k.data()) == 0)
				if (bpf_map_delete_elem(fd, k.data()))
					die("clearing a hash map");
		}
		std::vector<uint32_t> keys(lb::kMaxBackends);
		for (uint32_t i = 0; i < lb::kMaxBackends; i++)
			keys[i] = i;
		std::vector<lb::Backend> zero(lb::kMaxBackends);
		uint32_t n = lb::kMaxBackends;
		if (bpf_map_update_batch(backends, keys.data(), zero.data(), &n, nullptr))
			die("clearing lb_backends");
		auto ncpu = static_cast<std::size_t>(libbpf_num_possible_cpus());
		std::vector<uint8_t> zeros(16 * ncpu);
		for (uint32_t i = 0; i < lb::kStatSlots; i++)
			if (bpf_map_update_elem(stats, &i, zeros.data(), BPF_ANY))
				die("clearing lb_stats");
		std::vector<uint8_t> no_hop(sizeof(lb::NextHop) * ncpu);
		for (uint32_t i = 0; i < lb::kMaxBackends; i++)
			if (bpf_map_update_elem(nexthops, &i, no_hop.data(), BPF_ANY))
				die("clearing lb_nexthops");
	}
	// lb_stats: packets and bytes of every slot, summed over CPUs
	std::vector<uint64_t> stat_totals() const
	{
		std::vector<uint64_t> t;
		for (uint32_t i = 0; i < lb::kStatSlots; i++) {
			std::vector<uint64_t> s = netext::loader::map_u64_sums(stats, i, 2);
			t.insert(t.end(), s.begin(), s.end());
		}
		return t;
	}
	// lb_conns as flow -> (backend, gen)
	std::map<std::vector<uint8_t>, std::pair<uint32_t, uint32_t>> conn_table() const
	{
		std::map<std::vector<uint8_t>, std::pair<uint32_t, uint32_t>> m;
		lb::FlowKey k{}, next{};
		const void *prev = nullptr;
		while (bpf_map_get_next_key(conns, prev, &next) == 0) {
			k = next;
			prev = &k;
			lb::Conn c{};
			if (bpf_map_lookup_elem(conns, &k, &c) == 0) {
				auto *b = reinterpret_cast<const uint8_t *>(&k);
				m[std::vector<uint8_t>(b, b + sizeof(k))] = {c.backend, c.gen};
			}
		}
		return m;
	}
};

uint64_t sum(const std::vector<uint64_t> &v, uint32_t slot)
{
	return v.at(2 * static_cast<std::size_t>(slot));
}

// (sysfs shows the namespace it was mounted in: ask the current one)
Bytes read_mac(const char *ifname)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ifreq ifr{};
	std::snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR %s", ifname);
	close(fd);
	const auto *m = reinterpret_cast<const uint8_t *>(ifr.ifr_hwaddr.sa_data);
	return Bytes(m, m + 6);
}

// t1's received packets (the peer of t0, where redirected frames arrive)
uint64_t rx_packets(const char *ifname)
{
	ifaddrs *all = nullptr;
	uint64_t n = 0;
	if (getifaddrs(&all))
		die("getifaddrs");
	for (ifaddrs *a = all; a; a = a->ifa_next)
		if (a->ifa_addr && a->ifa_addr->sa_family == AF_PACKET && a->ifa_data &&
		    !std::strcmp(a->ifa_name, ifname))
			n = static_cast<const rtnl_link_stats *>(a->ifa_data)->rx_packets;
	freeifaddrs(all);
	return n;
}

// Runs the program on `count` live frames (BPF_F_TEST_XDP_LIVE_FRAMES): XDP_REDIRECT and
// XDP_TX verdicts really send them, through the kernel's xdp_do_redirect().
bool live_run(int fd, const Bytes &in, int count)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(),
		    .data_size_in = static_cast<uint32_t>(in.size()), .repeat = count,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	return bpf_prog_test_run_opts(fd, &opts) == 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 5) {
		std::fprintf(stderr, "usage: %s NETEXT_KO LB_KO STUB_OBJ LB_BPF\n", argv[0]);
		return 2;
	}
	const char *netext_ko = argv[1], *lb_ko = argv[2], *stub_path = argv[3], *lb_bpf = argv[4];
	libbpf_set_print(nullptr);

	for (const char *ko : {netext_ko, lb_ko})
		if (int rc = load_module(ko))
			errno = -rc, die("finit_module %s", ko);
	// A generous budget: the guest's clock runs while qemu waits for the host CPU.
	set_watchdog_us(200000);
	open_device();

	// The forwarding table the FIB lookups see: test runs use the current namespace.
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	if (std::system(lbfix::kFibSetup) != 0)
		die("setting up the namespace");
	uint32_t t0 = if_nametoindex("t0");
	Bytes t0_mac = read_mac("t0");

	uint32_t slot = find_slot("lb", "lb_rx");
	Object stub = load_object(stub_path, "netext_xdp", &slot, sizeof(slot));
	int native_fd = stub.prog("netext_xdp");
	LbCopy ebpf(load_object(lb_bpf)), native(load_object(lb_bpf));
	int ebpf_fd = ebpf.o.prog("lb_rx");
	int bound = 0;
	for (const char *m :
	     {"lb_vips", "lb_backends", "lb_ring", "lb_conns", "lb_stats", "lb_nexthops"})
		bound += bind_map(NETEXT_IOC_MAP_BIND, "lb", m, native.o.map(m)) == 0 ? 1 : 0;
	check(bound == 6, "the native lb's 6 maps bound to the second copy's");

	// ---- the fixture scenarios ----
	std::size_t packets = 0, scenarios = 0, redirects = 0, txs = 0;
	uint64_t transmitted = 0, to_stack = 0;
	for (const lbfix::LbScenario &sc : lbfix::lb_scenarios()) {
		ebpf.reset();
		native.reset();
		Balancer be(ebpf.maps(), lb::kDefaultRingSize),
			bn(native.maps(), lb::kDefaultRingSize);
		int before = failures;
		for (const lbfix::LbStep &st : sc.steps) {
			if (st.change) {
				try {
					st.change(be);
					st.change(bn);
				} catch (const std::exception &e) {
					check(false, "%s: %s: %s", sc.name.c_str(), st.name.c_str(),
					      e.what());
				}
			}
			if (!st.has_frame())
				continue;
			uint32_t ifindex =
				st.ifname.empty() ? 0 : if_nametoindex(st.ifname.c_str());
			Run e = test_run(ebpf_fd, st.input, 1, nullptr, ifindex),
			    n = test_run(native_fd, st.input, 1, nullptr, ifindex);
			packets++;
			bool same = e.err == 0 && e == n;
			std::string why = netext::testing::fixture_mismatch(
				st, {static_cast<int32_t>(e.retval), e.out}, t0_mac);
			redirects += e.retval == XDP_REDIRECT ? 1 : 0;
			txs += e.retval == XDP_TX ? 1 : 0;
			if (!same || !why.empty())
				check(false,
				      "%s: %s: ebpf %d/%u (%zu bytes), native %d/%u (%zu bytes)%s%s%s",
				      sc.name.c_str(), st.name.c_str(), e.err, e.retval,
				      e.out.size(), n.err, n.retval, n.out.size(),
				      same ? "" : ": eBPF and native differ",
				      why.empty() ? "" : ": not the expected result: ", why.c_str());
		}
		std::vector<uint64_t> te = ebpf.stat_totals(), tn = native.stat_totals();
		transmitted += sum(te, lb::Transmitted);
		to_stack += sum(te, lb::ToStack);
		if (te != tn)
			check(false, "%s: stats totals differ", sc.name.c_str());
		if (ebpf.conn_table() != native.conn_table())
			check(false, "%s: connection tables differ", sc.name.c_str());
		scenarios++;
		if (failures != before)
			std::printf("     (scenario %s failed)\n", sc.name.c_str());
	}
	check(failures == 0 && packets > 0 && redirects > 0 && txs > 0,
	      "%zu scenarios, %zu fixture packets: eBPF and native identical and as expected "
	      "(%zu redirected, %zu sent back out, %llu transmitted, %llu to the stack), stats "
	      "and connection tables identical",
	      scenarios, packets, redirects, txs, static_cast<unsigned long long>(transmitted),
	      static_cast<unsigned long long>(to_stack));

	// ---- the mutated corpus, on a configuration with every kind of backend ----
	{
		ebpf.reset();
		native.reset();
		Balancer be(ebpf.maps(), lb::kDefaultRingSize),
			bn(native.maps(), lb::kDefaultRingSize);
		for (Balancer *b : {&be, &bn}) {
			using netext::lb::IpAddress;
			using netext::lb::Service;
			for (const char *v : {"198.18.0.2:80/tcp", "198.18.0.2:80/udp"}) {
				b->add_vip(Service::parse(v));
				b->add_backend(Service::parse(v),
					       IpAddress::parse(lbfix::kResolved));
				b->add_backend(Service::parse(v), IpAddress::parse("198.18.9.12"),
					       2);
			}
			for (const char *v : {"[2001:db8::2]:80/tcp", "[2001:db8::2]:80/udp"}) {
				b->add_vip(Service::parse(v));
				b->add_backend(Service::parse(v),
					       IpAddress::parse(lbfix::kResolved6));
				b->add_backend(Service::parse(v),
					       IpAddress::parse("2001:db8:9::12"));
			}
		}
		std::vector<Bytes> corpus = lbfix::lb_mutants(40, 20261121);
		std::size_t compared = 0, differ = 0, changed = 0;
		std::map<uint32_t, std::size_t> verdicts;
		for (std::size_t i = 0; i < corpus.size(); i++) {
			uint32_t ifindex = i % 3 == 0 ? t0 : 0;
			Run e = test_run(ebpf_fd, corpus[i], 1, nullptr, ifindex),
			    n = test_run(native_fd, corpus[i], 1, nullptr, ifindex);
			if (!(e == n)) {
				if (differ++ < 5)
					check(false,
					      "mutant %zu (%zu bytes): ebpf %d/%u (%zu bytes), "
					      "native "
					      "%d/%u (%zu bytes)",
					      i, corpus[i].size(), e.err, e.retval, e.out.size(),
					      n.err, n.retval, n.out.size());
				continue;
			}
			compared++;
			verdicts[e.err ? 99 : e.retval]++;
			changed += !e.err && e.out != corpus[i] ? 1 : 0;
		}
		std::string hist;
		for (auto [v, c] : verdicts)
			hist += " " + std::to_string(v) + ":" + std::to_string(c);
		check(differ == 0 && changed > 0,
		      "mutated corpus of %zu packets: %zu identical (%zu rewritten; verdicts%s), "
		      "%zu different",
		      corpus.size(), compared, changed, hist.c_str(), differ);
		check(ebpf.stat_totals() == native.stat_totals() &&
			      ebpf.conn_table() == native.conn_table(),
		      "mutated corpus: stats totals and connection tables identical");
	}

	netext_prog_info info;
	bool have_info = prog_info(slot, info);
	check(have_info && info.faults == 0 && info.invocations > 0,
	      "native lb_rx: %llu invocations, %llu faults",
	      static_cast<unsigned long long>(info.invocations),
	      static_cast<unsigned long long>(info.faults));

	// ---- per-packet cost: repeat = 1 (the LB rewrites the buffer), median of many ----
	{
		ebpf.reset();
		native.reset();
		netext::testing::PacketSpec s = lbfix::flow(lbfix::Net::Ipv4, 17);
		Balancer be(ebpf.maps(), lb::kDefaultRingSize),
			bn(native.maps(), lb::kDefaultRingSize);
		for (Balancer *b : {&be, &bn}) {
			b->add_vip(lbfix::vip_of(s));
			b->add_backend(lbfix::vip_of(s),
				       netext::lb::IpAddress::parse(lbfix::kResolved));
		}
		Bytes vip = netext::testing::build(s);
		netext::testing::PacketSpec other = s;
		other.dport = 81;
		Bytes non_vip = netext::testing::build(other);
		Object empty = load_object(stub_path, "netext_empty");
		// bench/native_cost.sh sets the number of runs
		const char *calls = std::getenv("NETEXT_BENCH_CALLS");
		const int runs = calls && std::atoi(calls) > 0 ? std::atoi(calls) : 301;
		uint32_t z = median_duration(empty.prog("netext_empty"), vip, runs);
		uint32_t ep = median_duration(ebpf_fd, non_vip, runs);
		uint32_t np = median_duration(native_fd, non_vip, runs);
		uint32_t er = median_duration(ebpf_fd, vip, runs);
		uint32_t nr = median_duration(native_fd, vip, runs);
		std::printf(
			"perf: lb_rx, repeat 1, median of %d runs (TCG), empty XDP program %u ns: "
			"non-VIP pass eBPF %u ns, native %u ns; VIP UDP encapsulated and "
			"redirected (cached next hop) eBPF %u ns, native %u ns\n",
			runs, z, ep, np, er, nr);
		// the FIB lookup itself: the next-hop cache emptied before each run
		auto uncached = [&](int fd, const LbCopy &c) {
			std::vector<uint32_t> d;
			auto ncpu = static_cast<std::size_t>(libbpf_num_possible_cpus());
			std::vector<uint8_t> no_hop(sizeof(lb::NextHop) * ncpu);
			for (int i = 0; i < 101; i++) {
				uint32_t k = 0, ns = 0;
				bpf_map_update_elem(c.nexthops, &k, no_hop.data(), BPF_ANY);
				if (test_run(fd, vip, 1, &ns).err)
					die("timed test run");
				d.push_back(ns);
			}
			std::sort(d.begin(), d.end());
			return d[d.size() / 2];
		};
		uint32_t ef = uncached(ebpf_fd, ebpf), nf = uncached(native_fd, native);
		std::printf(
			"perf: lb_rx VIP UDP with a FIB lookup (next-hop cache empty): eBPF %u ns, "
			"native %u ns (median of 101)\n",
			ef, nf);
		// rows of bench/native_cost.sh's table (netext-native-bench's CSV format)
		auto csv = [](const char *name, uint32_t e, uint32_t n, int c) {
			std::printf("csv,\"%s\",%u,%u,%.3f,%d\n", name, e, n,
				    e ? static_cast<double>(n) / e : 0.0, c);
		};
		csv("lb_rx non-VIP packet (passed)", ep, np, runs);
		csv("lb_rx established flow (VIP, encapsulated, redirected; next hop cached)", er,
		    nr, runs);
		csv("lb_rx the same with a FIB lookup (next-hop cache emptied)", ef, nf, 101);

		// The redirect for real: frames the LB redirects to t0 arrive on its peer t1
		// (veth delivers XDP frames to a peer with an XDP program: netext_empty on t1).
		uint32_t t1 = if_nametoindex("t1");
		if (bpf_xdp_attach(static_cast<int>(t1), empty.prog("netext_empty"), 0, nullptr))
			die("attaching an XDP program to t1");
		const int frames = 50;
		uint64_t r0 = rx_packets("t1");
		bool ok_e = live_run(ebpf_fd, vip, frames);
		uint64_t r1 = rx_packets("t1");
		bool ok_n = live_run(native_fd, vip, frames);
		uint64_t r2 = rx_packets("t1");
		check(ok_e && ok_n && r1 - r0 == uint64_t{frames} && r2 - r1 == uint64_t{frames},
		      "live frames redirected to t0 arrive on t1: eBPF %llu of %u, native %llu of "
		      "%u",
		      static_cast<unsigned long long>(r1 - r0), frames,
		      static_cast<unsigned long long>(r2 - r1), frames);
		bpf_xdp_detach(static_cast<int>(t1), 0, nullptr);
		bpf_object__close(empty.obj);
	}

	bpf_object__close(stub.obj);
	bpf_object__close(ebpf.o.obj);
	bpf_object__close(native.o.obj);
	close(dev);
	for (const char *m : {"netext_app_lb", "netext"})
		if (int rc = unload_module(m))
			errno = -rc, die("delete_module %s", m);
	check(true, "modules unloaded");

	std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
