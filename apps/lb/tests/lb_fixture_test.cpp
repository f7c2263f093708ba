// The LB app on fixtures, through the host runner and through BPF_PROG_TEST_RUN on the
// running kernel (the same tests, parametrised by backend), configured by libnetext's
// control plane (Balancer) on each backend's maps: packets for a VIP leave encapsulated
// for the backend the Maglev table or the connection table names, byte for byte;
// everything else passes untouched; flows keep their backend across changes.
//
// The kernel runs happen in a network namespace of their own, so the program's FIB lookup
// sees a known table: a veth with a resolved neighbour (198.18.9.11) and one without.
#include <netext/host/runtime.hpp>
#include <netext/lb/balancer.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>
#include <netext/maps.hpp>
#include <netext/verdict.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cstdlib>
#include <cstring>
#include <linux/bpf.h>
#include <map>
#include <net/if.h>
#include <sched.h>
#include <set>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_maps.hpp"
#include "kernel_fixture.hpp"
#include "lb.hpp"
#include "lb_fixtures.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;
using lb::Balancer;
using lb::IpAddress;
using lb::LbMaps;
using lb::Service;
using Net = PacketSpec::Net;
namespace lbfix = netext::testing::lbfix;

namespace {

// The packets, the frames expected for them and the kernel runs' forwarding table are
// shared with the native backend's guest test (lb_fixtures.hpp).
using lbfix::encapsulated;
using lbfix::flow;
using lbfix::key_of;
using lbfix::kResolved;
using lbfix::kResolvedMac;
using lbfix::vip_of;

constexpr int kDrop = static_cast<int>(XdpAction::Drop);
constexpr int kPass = static_cast<int>(XdpAction::Pass);
constexpr int kRedirect = static_cast<int>(XdpAction::Redirect);

struct Result {
	int verdict = -1;
	Bytes data;
};

// ---- the maps of each backend, behind the control plane's interface --------------------
// The host backend's: tests/support/host_maps.hpp (shared with fuzz.lb).
using HostMaps = netext::testing::HostLbMaps;

class Backend {
public:
	virtual ~Backend() = default;
	virtual Result rx(const Bytes &in) = 0;
	// The packet arriving on interface `ifname` of the kernel runs' namespace.
	virtual Result rx_on(const Bytes &in, const std::string &ifname) = 0;
	virtual std::unique_ptr<LbMaps> maps() = 0;
	virtual void reset() = 0; // every map empty
	virtual uint64_t packets(uint32_t slot) = 0;
	virtual bool kernel() const = 0;
};

class HostBackend : public Backend {
public:
	Result rx(const Bytes &in) override
	{
		const host::Program *p = host::find_program("lb", "lb_rx");
		EXPECT_NE(p, nullptr);
		host::RunResult r;
		EXPECT_TRUE(p && host::run(*p, in, r));
		return {r.verdict, r.data};
	}
	Result rx_on(const Bytes &in, const std::string &ifname) override
	{
		ADD_FAILURE() << "the host runner has no interface " << ifname;
		return rx(in);
	}
	std::unique_ptr<LbMaps> maps() override { return std::make_unique<HostMaps>(); }
	void reset() override
	{
		for (host::MapBase *m : host::maps("lb"))
			m->clear();
	}
	uint64_t packets(uint32_t slot) override
	{
		uint64_t c[2] = {};
		HostMaps().lookup(LbMaps::Stats, &slot, c);
		return c[0];
	}
	bool kernel() const override { return false; }
};

// The kernel runs' namespace: made once per process, on first use.
void enter_fib_namespace()
{
	static bool done = false;
	if (done)
		return;
	done = true;
	ASSERT_EQ(unshare(CLONE_NEWNET), 0) << std::strerror(errno);
	ASSERT_EQ(std::system(lbfix::kFibSetup), 0);
}

class KernelBackend : public Backend {
public:
	KernelBackend() { enter_fib_namespace(); }
	Result rx(const Bytes &in) override
	{
		loader::TestRun r = loader::test_run(obj().program_fd("lb_rx"), in);
		return {static_cast<int>(r.retval), r.data};
	}
	Result rx_on(const Bytes &in, const std::string &ifname) override
	{
		xdp_md md{};
		md.data_end = static_cast<uint32_t>(in.size());
		md.ingress_ifindex = if_nametoindex(ifname.c_str());
		EXPECT_NE(md.ingress_ifindex, 0u) << ifname;
		Bytes out(in.size() + 4096);
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(), .data_out = out.data(),
			    .data_size_in = static_cast<uint32_t>(in.size()),
			    .data_size_out = static_cast<uint32_t>(out.size()), .ctx_in = &md,
			    .ctx_size_in = sizeof(md));
		EXPECT_EQ(bpf_prog_test_run_opts(obj().program_fd("lb_rx"), &opts), 0)
			<< std::strerror(errno);
		out.resize(opts.data_size_out);
		return {static_cast<int>(opts.retval), out};
	}
	// The MAC of an interface of the kernel runs' namespace.
	static Bytes mac_of(const std::string &ifname)
	{
		ifreq ifr{};
		std::snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname.c_str());
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		bool ok = fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0;
		if (fd >= 0)
			close(fd);
		EXPECT_TRUE(ok) << "SIOCGIFHWADDR " << ifname;
		const auto *m = reinterpret_cast<const uint8_t *>(ifr.ifr_hwaddr.sa_data);
		return ok ? Bytes(m, m + 6) : Bytes{};
	}
	std::unique_ptr<LbMaps> maps() override
	{
		return LbMaps::from_fds(obj().map_fd("lb_vips"), obj().map_fd("lb_backends"),
					obj().map_fd("lb_ring"), obj().map_fd("lb_stats"));
	}
	void reset() override
	{
		int vips = obj().map_fd("lb_vips"), conns = obj().map_fd("lb_conns");
		for (int fd : {vips, conns}) {
			std::vector<uint8_t> k(64);
			while (bpf_map_get_next_key(fd, nullptr, k.data()) == 0)
				ASSERT_EQ(bpf_map_delete_elem(fd, k.data()), 0);
		}
		lb::Backend zero{};
		for (uint32_t i = 0; i < lb::kMaxBackends; i++)
			bpf_map_update_elem(obj().map_fd("lb_backends"), &i, &zero, BPF_ANY);
		std::vector<uint8_t> zeros(16 * static_cast<std::size_t>(loader::possible_cpus()));
		for (uint32_t i = 0; i < lb::kStatSlots; i++)
			bpf_map_update_elem(obj().map_fd("lb_stats"), &i, zeros.data(), BPF_ANY);
		std::vector<uint8_t> no_hop(sizeof(lb::NextHop) *
					    static_cast<std::size_t>(loader::possible_cpus()));
		for (uint32_t i = 0; i < lb::kMaxBackends; i++)
			bpf_map_update_elem(obj().map_fd("lb_nexthops"), &i, no_hop.data(),
					    BPF_ANY);
	}
	uint64_t packets(uint32_t slot) override
	{
		return loader::map_u64_sums(obj().map_fd("lb_stats"), slot, 2).at(0);
	}
	bool kernel() const override { return true; }

private:
	static loader::BpfObject &obj() { return KernelApps::get("lb"); }
};

// The backend the output frame goes to (its outer destination), "" if not encapsulated.
std::string outer_dst(const Result &r, const PacketSpec &s)
{
	return lbfix::outer_dst(r.data, s);
}

class Lb : public ::testing::TestWithParam<std::string> {
protected:
	void SetUp() override
	{
		if (GetParam() == "kernel") {
			NETEXT_REQUIRE_ROOT();
			b_ = std::make_unique<KernelBackend>();
		} else {
			b_ = std::make_unique<HostBackend>();
		}
		b_->reset();
		lb_ = std::make_unique<Balancer>(b_->maps(), lb::kDefaultRingSize);
	}
	Result rx(const PacketSpec &s) { return b_->rx(build(s)); }
	// in must pass, unchanged.
	void expect_untouched(const Bytes &in, const std::string &what = "")
	{
		Result r = b_->rx(in);
		EXPECT_EQ(r.verdict, kPass) << what;
		EXPECT_EQ(r.data, in) << what;
	}
	std::string backend_of(const PacketSpec &s)
	{
		Result r = rx(s);
		return r.verdict == kPass || r.verdict == kRedirect ? outer_dst(r, s) : "";
	}

	std::unique_ptr<Backend> b_;
	std::unique_ptr<Balancer> lb_;
};

TEST_P(Lb, Ipv4TcpToVipIsEncapsulatedForItsBackend)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	IpAddress be = IpAddress::parse("198.18.9.12");
	lb_->add_vip(vip);
	lb_->add_backend(vip, be);
	Bytes in = build(s);
	Result r = b_->rx(in);
	EXPECT_EQ(r.verdict, kPass); // no neighbour: the stack forwards it
	EXPECT_EQ(r.data, encapsulated(s, in, be));
	std::size_t l3 = l3_offset(s);
	EXPECT_EQ(ref_sum(r.data.data() + l3, 20), 0xffff) << "outer IPv4 checksum";
	EXPECT_EQ(b_->packets(lb::Syns), 1u);
	EXPECT_EQ(b_->packets(lb::ToStack), 1u);
	EXPECT_EQ(b_->packets(lb::kVipStatBase + 0), 1u);
	EXPECT_EQ(b_->packets(lb::kBackendStatBase + 0), 1u);
}

TEST_P(Lb, EveryVariantKeepsTheInnerPacketWhole)
{
	for (const auto &[name, s] : lbfix::vip_packet_variants()) {
		SCOPED_TRACE(name);
		b_->reset();
		Service vip = vip_of(s);
		IpAddress be =
			IpAddress::parse(s.net == Net::Ipv6 ? "2001:db8:9::12" : "198.18.9.12");
		lb_->add_vip(vip);
		lb_->add_backend(vip, be);
		Bytes in = build(s);
		Result r = b_->rx(in);
		EXPECT_EQ(r.verdict, kPass);
		EXPECT_EQ(r.data, encapsulated(s, in, be));
	}
}

TEST_P(Lb, ResolvedNextHopIsRedirectedWithItsMacs)
{
	if (!b_->kernel())
		GTEST_SKIP() << "the host runner has no forwarding table";
	PacketSpec s = flow();
	Service vip = vip_of(s);
	IpAddress be = IpAddress::parse(kResolved);
	lb_->add_vip(vip);
	lb_->add_backend(vip, be);
	Bytes in = build(s);
	Result r = b_->rx(in);
	// The route leaves by t0, not the test run's loopback: a redirect, with t0's MAC as
	// the source and the neighbour's as the destination.
	EXPECT_EQ(r.verdict, kRedirect);
	ASSERT_GE(r.data.size(), 12u);
	Bytes smac(r.data.begin() + 6, r.data.begin() + 12);
	EXPECT_EQ(r.data, encapsulated(s, in, be, kResolvedMac, smac.data()));
	EXPECT_EQ(b_->packets(lb::Transmitted), 1u);
}

TEST_P(Lb, NonVipTrafficPassesUntouched)
{
	PacketSpec s = flow();
	lb_->add_vip(vip_of(s));
	lb_->add_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
	std::vector<PacketSpec> others;
	PacketSpec port = s;
	port.dport = 81;
	others.push_back(port);
	PacketSpec proto = s;
	proto.proto = 17;
	others.push_back(proto);
	PacketSpec addr = s;
	addr.dst4 = 0xc6120003;
	others.push_back(addr);
	PacketSpec v6 = flow(Net::Ipv6);
	others.push_back(v6);
	PacketSpec icmp = s;
	icmp.proto = 1;
	others.push_back(icmp);
	PacketSpec arp;
	arp.net = Net::Arp;
	others.push_back(arp);
	PacketSpec frag = s;
	frag.ipv4_frag = 0x2000; // first fragment of a VIP's flow: not balanced (see README)
	others.push_back(frag);
	for (const PacketSpec &o : others) {
		Bytes in = build(o);
		expect_untouched(in);
	}
	EXPECT_EQ(b_->packets(lb::NonVip), others.size());
}

TEST_P(Lb, VipWithoutBackendsDrops)
{
	PacketSpec s = flow();
	lb_->add_vip(vip_of(s));
	EXPECT_EQ(rx(s).verdict, kDrop);
	lb_->add_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
	lb_->del_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
	EXPECT_EQ(rx(s).verdict, kDrop);
	EXPECT_EQ(b_->packets(lb::NoBackend), 2u);
}

TEST_P(Lb, MalformedAndTruncatedPassUntouched)
{
	PacketSpec s = flow();
	lb_->add_vip(vip_of(s));
	lb_->add_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
	Bytes good = build(s);
	// Every truncation of a VIP's packet: never encapsulated, never changed.
	for (std::size_t n = 0; n < good.size(); n++) {
		Bytes in(good.begin(), good.begin() + static_cast<long>(n));
		if (in.size() < 14)
			continue; // the kernel's test run refuses frames shorter than Ethernet
		expect_untouched(in, "truncated to " + std::to_string(n));
	}
	for (const auto &[name, in] : lbfix::malformed_headers(s))
		expect_untouched(in, name);
}

TEST_P(Lb, SharesFollowWeightsOverManyFlows)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	lb_->add_vip(vip);
	lb_->add_backend(vip, IpAddress::parse("198.18.9.12"), 1);
	lb_->add_backend(vip, IpAddress::parse("198.18.9.13"), 3);
	std::map<std::string, int> seen;
	const int kFlows = 2000;
	for (int i = 0; i < kFlows; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(10000 + i);
		f.src4 = 0xc6120100 + static_cast<uint32_t>(i % 7);
		seen[backend_of(f)]++;
	}
	ASSERT_EQ(seen.size(), 2u);
	EXPECT_NEAR(seen["198.18.9.13"] / double(kFlows), 0.75, 0.04);
}

// A flow keeps its backend when the table changes under it; new flows use the new table.
TEST_P(Lb, EstablishedFlowsKeepTheirBackendWhenOneIsAdded)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	lb_->add_vip(vip);
	lb_->add_backend(vip, IpAddress::parse("198.18.9.12"));
	lb_->add_backend(vip, IpAddress::parse("198.18.9.13"));
	std::vector<PacketSpec> flows;
	std::vector<std::string> first;
	for (int i = 0; i < 200; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(20000 + i);
		first.push_back(backend_of(f)); // the SYN
		f.tcp_flags = 0x10;
		flows.push_back(f);
	}
	lb_->add_backend(vip, IpAddress::parse("198.18.9.14"));
	int moved_by_table = 0;
	for (std::size_t i = 0; i < flows.size(); i++) {
		EXPECT_EQ(backend_of(flows[i]), first[i]) << "flow " << i;
		PacketSpec syn = flows[i];
		syn.tcp_flags = 0x02;
		syn.sport = static_cast<uint16_t>(syn.sport + 1000); // a new flow
		if (backend_of(syn) == "198.18.9.14")
			moved_by_table++;
	}
	EXPECT_GT(moved_by_table, 30); // about a third of new flows go to the new backend
	EXPECT_GE(b_->packets(lb::ConnHits), flows.size());
}

TEST_P(Lb, DrainedBackendKeepsItsFlowsAndGetsNoNewOnes)
{
	PacketSpec s = flow(Net::Ipv6, 17);
	Service vip = vip_of(s);
	IpAddress a = IpAddress::parse("2001:db8:9::12"), b = IpAddress::parse("2001:db8:9::13");
	lb_->add_vip(vip);
	lb_->add_backend(vip, a);
	lb_->add_backend(vip, b);
	std::vector<PacketSpec> on_b;
	for (int i = 0; i < 100; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(30000 + i);
		if (backend_of(f) == b.str())
			on_b.push_back(f);
	}
	ASSERT_GT(on_b.size(), 20u);
	lb_->drain_backend(vip, b);
	for (const PacketSpec &f : on_b)
		EXPECT_EQ(backend_of(f), b.str());
	for (int i = 0; i < 100; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(40000 + i);
		EXPECT_EQ(backend_of(f), a.str());
	}
	// Deleted: its flows move to the others.
	lb_->del_backend(vip, b);
	for (const PacketSpec &f : on_b)
		EXPECT_EQ(backend_of(f), a.str());
}

TEST_P(Lb, TcpSynAlwaysConsultsTheTable)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	IpAddress a = IpAddress::parse("198.18.9.12"), b = IpAddress::parse("198.18.9.13");
	lb_->add_vip(vip);
	lb_->add_backend(vip, a);
	lb_->add_backend(vip, b);
	std::vector<PacketSpec> on_b;
	for (int i = 0; i < 60; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(30000 + i);
		if (backend_of(f) == b.str())
			on_b.push_back(f);
	}
	ASSERT_FALSE(on_b.empty());
	lb_->drain_backend(vip, b);
	for (const PacketSpec &f : on_b) // a SYN again on the same 5-tuple: a new connection
		EXPECT_EQ(backend_of(f), a.str());
}

TEST_P(Lb, IcmpTooBigGoesToTheFlowsBackend)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	lb_->add_vip(vip);
	lb_->add_backend(vip, IpAddress::parse("198.18.9.12"));
	lb_->add_backend(vip, IpAddress::parse("198.18.9.13"));
	for (int i = 0; i < 20; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(50000 + i);
		std::string owner = backend_of(f);
		// (the ICMP error's own headers are those of a plain IPv4 packet: f's offsets)
		Result r = b_->rx(lbfix::icmp_too_big4(f));
		EXPECT_EQ(r.verdict, kPass);
		EXPECT_EQ(outer_dst(r, f), owner);
	}
	EXPECT_EQ(b_->packets(lb::IcmpTooBig), 20u);
}

TEST_P(Lb, Icmpv6PacketTooBigGoesToTheFlowsBackend)
{
	PacketSpec s = flow(Net::Ipv6, 6);
	Service vip = vip_of(s);
	lb_->add_vip(vip);
	lb_->add_backend(vip, IpAddress::parse("2001:db8:9::12"));
	lb_->add_backend(vip, IpAddress::parse("2001:db8:9::13"));
	std::set<std::string> owners;
	for (int i = 0; i < 20; i++) {
		PacketSpec f = s;
		f.sport = static_cast<uint16_t>(51000 + i);
		std::string owner = backend_of(f);
		owners.insert(owner);
		Result r = b_->rx(lbfix::icmp_too_big6(f));
		EXPECT_EQ(r.verdict, kPass);
		EXPECT_EQ(outer_dst(r, f), owner);
	}
	EXPECT_EQ(owners.size(), 2u);
	EXPECT_EQ(b_->packets(lb::IcmpTooBig), 20u);
	// Other ICMPv6 to the VIP (an echo request) passes untouched.
	PacketSpec echo;
	echo.net = Net::Ipv6;
	echo.proto = 58;
	echo.icmp_type = 128;
	Bytes in = build(echo);
	expect_untouched(in);
}

TEST_P(Lb, ControlPlaneErrorsChangeNothing)
{
	PacketSpec s = flow();
	Service vip = vip_of(s);
	lb_->add_vip(vip);
	EXPECT_THROW(lb_->add_vip(vip), Error);
	EXPECT_THROW(lb_->add_backend(vip, IpAddress::parse("2001:db8:9::12")), Error);
	EXPECT_THROW(lb_->add_backend(Service::parse("198.18.0.9:80/tcp"),
				      IpAddress::parse("198.18.9.12")),
		     Error);
	EXPECT_THROW(lb_->drain_backend(vip, IpAddress::parse("198.18.9.12")), Error);
	EXPECT_THROW(Service::parse("198.18.0.9"), Error);
	EXPECT_THROW(Service::parse("[2001:db8::1]:80/sctp"), Error);
	EXPECT_THROW(Service::parse("2001:db8::1:80"), Error);
	EXPECT_EQ(lb_->vips().size(), 1u);
	EXPECT_TRUE(lb_->backends(vip).empty());
	// VIPs are reused after deletion, and a deleted VIP's traffic passes.
	lb_->add_backend(vip, IpAddress::parse("198.18.9.12"));
	lb_->del_vip(vip);
	Bytes in = build(s);
	expect_untouched(in);
	EXPECT_TRUE(lb_->vips().empty());
}

// The scenarios the guest test runs through the LB's eBPF object and its native module
// (lb_fixtures.cpp), each on empty maps: every step's expected verdict and bytes, here. The
// host runner has no forwarding table: it skips the scenarios that need one.
TEST_P(Lb, SharedScenarios)
{
	std::size_t scenarios = 0, checked = 0, skipped = 0;
	Bytes t0_mac = b_->kernel() ? KernelBackend::mac_of("t0") : Bytes{};
	for (const lbfix::LbScenario &sc : lbfix::lb_scenarios()) {
		if (!b_->kernel() && lbfix::needs_fib(sc)) {
			skipped++;
			continue;
		}
		SCOPED_TRACE(sc.name);
		b_->reset();
		Balancer balancer(b_->maps(), lb::kDefaultRingSize);
		for (const lbfix::LbStep &st : sc.steps) {
			if (st.change) {
				ASSERT_NO_THROW(st.change(balancer)) << st.name;
			}
			if (!st.has_frame())
				continue;
			Result r = st.ifname.empty() ? b_->rx(st.input)
						     : b_->rx_on(st.input, st.ifname);
			EXPECT_EQ(fixture_mismatch(st, {r.verdict, r.data}, t0_mac), "") << st.name;
			checked += !st.verdict.any() || st.output ? 1 : 0;
		}
		scenarios++;
	}
	EXPECT_EQ(scenarios + skipped, lbfix::lb_scenarios().size());
	EXPECT_GT(checked, 1000u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Lb, ::testing::Values("host", "kernel"),
			 [](const auto &info) { return info.param; });

} // namespace
