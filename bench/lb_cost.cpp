// netext-bench-lb-cost: what one packet costs netext's load balancer (apps/lb) in the
// kernel, through BPF_PROG_TEST_RUN on this kernel.
//
// Cases, IPv4 and IPv6: a new TCP flow (a SYN from another source port each call, 4,096
// flows in turn: Maglev table, and the connection-table entry the flow's last SYN made), a
// fresh flow (a SYN of a never-seen 5-tuple each call: Maglev table, connection-table
// insert), a packet of an established flow (connection-table hit), and a packet for no
// VIP (passed). A VIP's packets are encapsulated and, the next hop
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
// Baselines: --baseline NAME=PIN times another XDP load balancer, pinned in bpffs by a
// harness outside this tree and configured with the same VIPs and backends (see README
// "LB", the Katran comparison), in the same turns as netext's LB and the empty program.
//
// Writes bench/results/lb_cost.csv. Asserts nothing.
#include <netext/lb/balancer.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <arpa/inet.h>
#include <bpf/bpf.h>
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

// Another balancer to time beside netext's: its name and the bpffs path of its XDP program.
struct Baseline {
	std::string name;
	std::string pin;
	int fd = -1;
};

struct Options : bench::CostOptions {
	std::vector<Baseline> baselines;
};

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "netext-bench-lb-cost: %s\n"
		     "usage: netext-bench-lb-cost [--out DIR] [--runs N] [--calls N] [--cpu N]\n"
		     "                            [--baseline NAME=PINNED_XDP_PROG]...\n"
		     "  per-packet cost of netext's load balancer through BPF_PROG_TEST_RUN;\n"
		     "  a baseline (another balancer set up with the same VIPs 198.18.0.2:80/tcp\n"
		     "  and [2001:db8::2]:80/tcp) is timed in the same turns;\n"
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
		if (a == "--baseline") {
			std::string v = next();
			auto eq = v.find('=');
			if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
				usage("--baseline takes NAME=PATH (an XDP program pinned in "
				      "bpffs)");
			o.baselines.push_back({v.substr(0, eq), v.substr(eq + 1)});
			return true;
		}
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
		for (Baseline &b : o.baselines) { // a wrong path fails before any setup
			b.fd = bpf_obj_get(b.pin.c_str());
			if (b.fd < 0)
				throw Error("baseline '" + b.name +
					    "': cannot open the program pinned at " + b.pin + ": " +
					    std::strerror(errno) +
					    " (pin its XDP program there first)");
		}
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
		csv << "case,family,subject,method,median_ns,p10_ns,p90_ns,empty_median_ns,net_ns,"
		       "runs,calls\n";
		std::printf("\n%-18s %-5s %-8s %-40s %8s %8s %8s %8s %8s\n", "case", "", "subject",
			    "method", "median", "p10", "p90", "empty", "net ns");
		auto row = [&](const std::string &cas, const char *fam, const std::string &who,
			       const Figure &f, const Figure &e) {
			double net = f.median - e.median;
			std::printf("%-18s %-5s %-8s %-40s %8s %8s %8s %8s %8s\n", cas.c_str(), fam,
				    who.c_str(), f.method.c_str(), fmt(f.median).c_str(),
				    fmt(f.p10).c_str(), fmt(f.p90).c_str(), fmt(e.median).c_str(),
				    fmt(net).c_str());
			csv << cas << "," << fam << "," << who << "," << f.method << "," << f.median
			    << "," << f.p10 << "," << f.p90 << "," << e.median << "," << net << ","
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
			for (const Baseline &b : o.baselines) { // sent (TX or redirect), or passed
				uint32_t v1 = loader::test_run(b.fd, build(tcp(v6f, 0x02))).retval;
				uint32_t v2 = loader::test_run(b.fd, est).retval;
				uint32_t v3 = loader::test_run(b.fd, nonvip).retval;
				if (v1 < 3 || v2 < 3 || v3 != 2)
					throw Error(
						"baseline '" + b.name + "' " + fam +
						": verdicts SYN " + std::to_string(v1) +
						", established " + std::to_string(v2) +
						", non-VIP " + std::to_string(v3) +
						" (want TX or REDIRECT, and PASS): is it set up "
						"with the same VIPs?");
			}
			auto syn_of = [&](long n) -> const Bytes & {
				return syns[static_cast<std::size_t>(n) % syns.size()];
			};
			// Fresh flows: a SYN of a 5-tuple never seen before, every call (built
			// before the call, unmeasured): the connection table takes a new entry each
			// time. Each subject counts its own calls, so each sees the same tuples.
			Bytes fresh_buf;
			auto fresh = [&](long n) -> const Bytes & {
				PacketSpec s = tcp(v6f, 0x02);
				s.sport = static_cast<uint16_t>(n & 0xffff);
				s.src4 = 0xc6128000u +
					 static_cast<uint32_t>(n >> 16); // 198.18.128.0/17
				s.src6_last = static_cast<uint8_t>(100 + (n >> 16));
				fresh_buf = build(s);
				return fresh_buf;
			};
			auto same = [](const Bytes &b) {
				return [&b](long) -> const Bytes & { return b; };
			};
			// netext's LB, each baseline, then the empty program (last).
			std::vector<std::pair<int, std::string>> who = {{prog, "netext"}};
			for (const Baseline &b : o.baselines)
				who.emplace_back(b.fd, b.name);
			who.emplace_back(empty_xdp, "empty");
			auto subjects = [&](const std::function<const Bytes &(long)> &pkt) {
				std::vector<Subject> s;
				for (const auto &w : who)
					s.push_back({w.first, pkt});
				return s;
			};
			std::vector<std::pair<std::string, std::vector<Subject>>> cases = {
				{"new flow (SYN)", subjects(syn_of)},
				{"fresh flow (SYN)", subjects(fresh)},
				{"established flow", subjects(same(est))},
				{"non-VIP", subjects(same(nonvip))},
			};
			for (const auto &[cas, subj] : cases) {
				std::vector<Figure> f = bench::per_call(o.runs, o.calls, subj);
				for (std::size_t i = 0; i + 1 < f.size(); i++)
					row(cas, fam, who[i].second, f[i], f.back());
			}
			std::vector<std::pair<int, const Bytes *>> rep;
			for (const auto &w : who)
				rep.emplace_back(w.first, &nonvip);
			std::vector<Figure> r = bench::repeated(rep);
			for (std::size_t i = 0; i + 1 < r.size(); i++)
				row("non-VIP", fam, who[i].second, r[i], r.back());
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
