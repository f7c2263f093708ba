// netext-bench-lb-cost: what one packet costs netext's load balancer (apps/lb) in the
// kernel, through BPF_PROG_TEST_RUN on this kernel.
//
// Cases, IPv4 and IPv6: a new TCP flow (a SYN from a new source port each call: Maglev
// table, connection-table insert), a packet of an established flow (connection-table hit),
// and a packet for no VIP (passed). A VIP's packets are encapsulated and, the next hop
// being resolved, redirected with its MACs: the whole forwarding path.
//
// Method (bench/test_run_cost.hpp): the program rewrites its packet, so BPF_PROG_TEST_RUN
// with repeat > 1 would time the already-encapsulated packet from the second repetition
// on (a non-VIP packet). Every case is timed with repeat = 1, many calls, the
// kernel-reported duration of each call; median, p10 and p90 are printed raw and with the
// median of an empty XDP program (timed the same way, in turns) subtracted. The non-VIP
// case changes nothing and is also timed with repeat = 100000. The runs happen in a
// network namespace of their own, where the backends' neighbours are resolved.
//
// Writes bench/results/lb_cost.csv. Asserts nothing.
#include <netext/lb/balancer.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sched.h>
#include <string>
#include <vector>

#include "args.hpp"
#include "lb.hpp"
#include "packet_builder.hpp"
#include "test_run_cost.hpp"

using namespace netext;
using namespace netext::testing;
using bench::Figure;
using bench::fmt;
using bench::Subject;

namespace {

using Options = bench::CostOptions;

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "netext-bench-lb-cost: %s\n"
		     "usage: netext-bench-lb-cost [--out DIR] [--runs N] [--calls N] [--cpu N]\n"
		     "  per-packet cost of netext's load balancer through BPF_PROG_TEST_RUN;\n"
		     "  CSV to DIR (default bench/results)\n",
		     why);
	std::exit(2);
}

Options parse(int argc, char **argv)
{
	Options o;
	bench::parse_args(argc, argv, usage, [&](const std::string &a, auto next) {
		if (a == "-h" || a == "--help")
			usage("help");
		return o.take(a, next);
	});
	o.check(usage);
	return o;
}

// A namespace of our own with the backends' neighbours resolved on a veth, so the
// program's FIB lookup succeeds as it does on a live LB.
void enter_namespace()
{
	if (unshare(CLONE_NEWNET) != 0)
		throw Error(std::string("netext-bench-lb-cost: unshare(CLONE_NEWNET): ") +
			    std::strerror(errno) + " (run as root)");
	const char *setup =
		"ip link add t0 type veth peer name t1 && ip link set t0 up && ip link set t1 up "
		"&& ip link set lo up && ip addr add 198.18.9.1/24 dev t0 "
		"&& ip -6 addr add 2001:db8:9::1/64 dev t0 nodad "
		"&& ip neigh add 198.18.9.11 lladdr 02:00:00:00:00:11 dev t0 nud permanent "
		"&& ip neigh add 198.18.9.12 lladdr 02:00:00:00:00:12 dev t0 nud permanent "
		"&& ip -6 neigh add 2001:db8:9::11 lladdr 02:00:00:00:00:11 dev t0 nud permanent "
		"&& ip -6 neigh add 2001:db8:9::12 lladdr 02:00:00:00:00:12 dev t0 nud permanent "
		"&& sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.forwarding=1 "
		"net.ipv6.conf.all.forwarding=1";
	if (std::system(setup) != 0)
		throw Error("netext-bench-lb-cost: cannot set up the bench namespace (needs ip, "
			    "sysctl, root)");
}

PacketSpec tcp(bool v6, uint8_t flags, uint16_t dport = 80)
{
	PacketSpec s;
	s.net = v6 ? PacketSpec::Net::Ipv6 : PacketSpec::Net::Ipv4;
	s.proto = 6;
	s.dport = dport;
	s.tcp_flags = flags;
	s.payload = Bytes(64, 'x');
	return s;
}

} // namespace

int main(int argc, char **argv)
{
	Options o = parse(argc, argv);
	try {
		enter_namespace();
		bench::pin(o.cpu);
		loader::BpfObject empty = loader::BpfObject::open_embedded("empty_progs");
		empty.load();
		loader::BpfObject lbo = loader::BpfObject::open_embedded("lb");
		lbo.load();
		const int prog = lbo.program_fd("lb_rx");
		const int empty_xdp = empty.program_fd("empty_xdp");
		lb::Balancer lb(lb::LbMaps::from_fds(lbo.map_fd("lb_vips"),
						     lbo.map_fd("lb_backends"),
						     lbo.map_fd("lb_ring"), lbo.map_fd("lb_stats")),
				lb::kDefaultRingSize);
		auto v4 = lb::Service::parse("198.18.0.2:80/tcp");
		auto v6 = lb::Service::parse("[2001:db8::2]:80/tcp");
		lb.add_vip(v4);
		lb.add_vip(v6);
		for (const char *a : {"198.18.9.11", "198.18.9.12"})
			lb.add_backend(v4, lb::IpAddress::parse(a));
		for (const char *a : {"2001:db8:9::11", "2001:db8:9::12"})
			lb.add_backend(v6, lb::IpAddress::parse(a));

		loader::ProgramInfo pi = loader::program_info(prog);
		std::printf("lb_rx: %u instructions verified, %u translated, %u bytes JITed\n",
			    pi.verified_insns, pi.xlated_insns, pi.jited_bytes);

		std::filesystem::create_directories(o.out_dir);
		std::ofstream csv(o.out_dir + "/lb_cost.csv");
		csv << "case,family,method,median_ns,p10_ns,p90_ns,empty_median_ns,net_ns,runs,"
		       "calls\n";
		std::printf("\n%-18s %-5s %-40s %8s %8s %8s %8s %8s\n", "case", "", "method",
			    "median", "p10", "p90", "empty", "net ns");
		auto row = [&](const std::string &cas, const char *fam, const Figure &f,
			       const Figure &e) {
			double net = f.median - e.median;
			std::printf("%-18s %-5s %-40s %8s %8s %8s %8s %8s\n", cas.c_str(), fam,
				    f.method.c_str(), fmt(f.median).c_str(), fmt(f.p10).c_str(),
				    fmt(f.p90).c_str(), fmt(e.median).c_str(), fmt(net).c_str());
			csv << cas << "," << fam << "," << f.method << "," << f.median << ","
			    << f.p10 << "," << f.p90 << "," << e.median << "," << net << ","
			    << f.runs << "," << f.calls << "\n";
		};

		for (bool v6f : {false, true}) {
			const char *fam = v6f ? "ipv6" : "ipv4";
			// New flows: a SYN from another source port (and address) each call.
			std::vector<Bytes> syns;
			for (uint32_t i = 0; i < 4096; i++) {
				PacketSpec s = tcp(v6f, 0x02);
				s.sport = static_cast<uint16_t>(1024 + i);
				s.src4 += i >> 8;
				s.src6_last = static_cast<uint8_t>(1 + (i >> 8));
				syns.push_back(build(s));
			}
			Bytes est = build(tcp(v6f, 0x10));
			Bytes nonvip = build(tcp(v6f, 0x10, 81));
			// The established flow's first packet makes its connection entry.
			loader::TestRun first = loader::test_run(prog, build(tcp(v6f, 0x02)));
			loader::TestRun check = loader::test_run(prog, est);
			if (first.retval != 4 || check.retval != 4)
				throw Error("netext-bench-lb-cost: the VIP's packets were not "
					    "redirected (verdict " +
					    std::to_string(check.retval) + ")");
			auto syn_of = [&](long n) -> const Bytes & {
				return syns[static_cast<std::size_t>(n) % syns.size()];
			};
			auto same = [](const Bytes &b) {
				return [&b](long) -> const Bytes & { return b; };
			};
			std::vector<std::pair<std::string, std::vector<Subject>>> cases = {
				{"new flow (SYN)", {{prog, syn_of}, {empty_xdp, syn_of}}},
				{"established flow", {{prog, same(est)}, {empty_xdp, same(est)}}},
				{"non-VIP", {{prog, same(nonvip)}, {empty_xdp, same(nonvip)}}},
			};
			for (const auto &[cas, subjects] : cases) {
				std::vector<Figure> f = bench::per_call(o.runs, o.calls, subjects);
				row(cas, fam, f[0], f[1]);
			}
			std::vector<Figure> r =
				bench::repeated({{prog, &nonvip}, {empty_xdp, &nonvip}});
			row("non-VIP", fam, r[0], r[1]);
		}
		std::printf("\nCSV: %s/lb_cost.csv (empty = an empty XDP program, timed the same "
			    "way; net = median - empty)\n",
			    o.out_dir.c_str());
	} catch (const Error &e) {
		std::fprintf(stderr, "netext-bench-lb-cost: %s\n", e.what());
		return 1;
	}
	return 0;
}
