// The example apps through the host runner: verdicts, output bytes, counters.
#include <netext/config.hpp>
#include <netext/host/runtime.hpp>
#include <netext/maps.hpp>

#include <gtest/gtest.h>

#include "counter.hpp"
#include "echo.hpp"
#include "fixtures.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;
using Net = PacketSpec::Net;

namespace {

host::RunResult run(const char *app, const char *prog, const Bytes &pkt)
{
	const host::Program *p = host::find_program(app, prog);
	EXPECT_NE(p, nullptr) << app << "/" << prog;
	host::RunResult r;
	EXPECT_TRUE(host::run(*p, pkt, r));
	return r;
}

uint64_t counter_packets(uint32_t hook, uint32_t cls)
{
	host::MapBase *m = host::find_map("counter", "stats");
	uint32_t k = counter::slot(hook, cls);
	uint64_t total = 0;
	for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++)
		total += reinterpret_cast<counter::Counter *>(m->lookup_cpu(&k, cpu))->packets;
	return total;
}

} // namespace

TEST(CounterHost, ClassifiesAndPasses)
{
	host::find_map("counter", "stats")->clear();
	PacketSpec udp4, tcp6, arp;
	tcp6.net = Net::Ipv6;
	tcp6.proto = 6;
	arp.net = Net::Arp;
	Bytes broken = build(udp4);
	broken.resize(30);
	for (const Bytes &b : {build(udp4), build(udp4), build(tcp6), build(arp), broken}) {
		host::RunResult r = run("counter", "count_xdp", b);
		EXPECT_EQ(r.verdict, static_cast<int>(XdpAction::Pass));
		EXPECT_EQ(r.data, b);
	}
	host::RunResult r = run("counter", "count_tc_egress", build(tcp6));
	EXPECT_EQ(r.verdict, static_cast<int>(TcAction::Ok));
	EXPECT_EQ(counter_packets(counter::HookXdp, counter::Ipv4Udp), 2u);
	EXPECT_EQ(counter_packets(counter::HookXdp, counter::Ipv6Tcp), 1u);
	EXPECT_EQ(counter_packets(counter::HookXdp, counter::Arp), 1u);
	EXPECT_EQ(counter_packets(counter::HookXdp, counter::Malformed), 1u);
	EXPECT_EQ(counter_packets(counter::HookTcEgress, counter::Ipv6Tcp), 1u);
	EXPECT_EQ(counter_packets(counter::HookTcIngress, counter::Ipv6Tcp), 0u);
}

// The corpus BPF_PROG_TEST_RUN checks on the kernel (tests/ebpf), through the host runner.
TEST(HostApps, FixtureCorpus)
{
	for (const Fixture<> &f : app_fixtures()) {
		host::RunResult r = run(f.app.c_str(), f.program.c_str(), f.input);
		EXPECT_EQ(fixture_mismatch(f, {r.verdict, r.data}), "")
			<< f.name << " " << f.program;
	}
}

TEST(EchoHost, RepliesWithAFullChecksumAndPassesTheRest)
{
	PacketSpec s;
	s.payload = text("abc");
	Bytes partial = build(s);
	partial[l4_offset(s) + 6] ^= 0x5a; // a CHECKSUM_PARTIAL field: not verified, replaced
	host::RunResult r = run("echo", "echo_xdp", partial);
	EXPECT_EQ(r.verdict, static_cast<int>(XdpAction::Tx));
	EXPECT_EQ(r.data, echo_reply(s));

	PacketSpec other = s;
	other.dport = 8;
	Bytes b = build(other);
	r = run("echo", "echo_xdp", b);
	EXPECT_EQ(r.verdict, static_cast<int>(XdpAction::Pass));
	EXPECT_EQ(r.data, b);

	PacketSpec tcp = s;
	tcp.proto = 6;
	EXPECT_EQ(run("echo", "echo_xdp", build(tcp)).verdict, static_cast<int>(XdpAction::Pass));
}

TEST(EchoHost, PortKnob)
{
	ASSERT_TRUE(host::set_config("echo", "port", 9));
	PacketSpec s;
	s.dport = 9;
	EXPECT_EQ(run("echo", "echo_xdp", build(s)).verdict, static_cast<int>(XdpAction::Tx));
	s.dport = 7;
	EXPECT_EQ(run("echo", "echo_xdp", build(s)).verdict, static_cast<int>(XdpAction::Pass));
	ASSERT_TRUE(host::set_config("echo", "port", 7));
	EXPECT_FALSE(host::set_config("echo", "nosuch", 1));
}
