// The LB app's fixtures, without gtest: shared by lb_fixture_test.cpp (host runner
// and BPF_PROG_TEST_RUN) and the native backend's guest test (kmod/tests/native_lb_test.cpp,
// eBPF against native). The packets the tests send, the frames the LB must emit for them,
// and scenarios of the one fixture shape (tests/support/fixture.hpp): control-plane changes
// (through the Balancer on the runner's maps) and packets in order, with what each must give.
#pragma once

#include <netext/lb/balancer.hpp>

#include <arpa/inet.h>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "lb.hpp"
#include "packet_builder.hpp"

namespace netext::testing::lbfix {

using Net = PacketSpec::Net;

// Backends .11 (and 2001:db8:9::11) have a resolved neighbour in the kernel runs' namespace
// (kFibSetup), the others none.
inline const char *const kResolved = "198.18.9.11";
inline const char *const kResolved6 = "2001:db8:9::11";
inline constexpr uint8_t kResolvedMac[6] = {0x02, 0, 0, 0, 0, 0x11};

// Shell commands that give a fresh network namespace the forwarding table the kernel runs
// expect: veth t0 (198.18.9.1/24, 2001:db8:9::1/64) with the resolved neighbours, forwarding on.
inline const char *const kFibSetup =
	"ip link add t0 type veth peer name t1 && ip link set t0 up && ip link set t1 up "
	"&& ip link set lo up && ip addr add 198.18.9.1/24 dev t0 "
	"&& ip -6 addr add 2001:db8:9::1/64 dev t0 nodad "
	"&& ip neigh add 198.18.9.11 lladdr 02:00:00:00:00:11 dev t0 nud permanent "
	"&& ip -6 neigh add 2001:db8:9::11 lladdr 02:00:00:00:00:11 dev t0 nud permanent "
	"&& echo 1 > /proc/sys/net/ipv4/ip_forward "
	"&& echo 1 > /proc/sys/net/ipv4/conf/all/forwarding "
	"&& echo 1 > /proc/sys/net/ipv4/conf/lo/forwarding "
	"&& echo 1 > /proc/sys/net/ipv6/conf/all/forwarding";

// A TCP SYN (or UDP datagram) to port 80 of 198.18.0.2 / 2001:db8::2.
inline PacketSpec flow(Net net = Net::Ipv4, uint8_t proto = 6, uint16_t sport = 40000)
{
	PacketSpec s;
	s.net = net;
	s.proto = proto;
	s.sport = sport;
	s.dport = 80;
	s.tcp_flags = 0x02; // SYN
	s.payload = text("hello");
	return s;
}

// The VIP a spec is sent to: its destination, port and protocol.
inline lb::Service vip_of(const PacketSpec &s)
{
	char buf[64];
	if (s.net == Net::Ipv6)
		std::snprintf(buf, sizeof(buf), "[2001:db8::%x]:%u/%s", s.dst6_last, s.dport,
			      s.proto == 6 ? "tcp" : "udp");
	else
		std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u:%u/%s", s.dst4 >> 24,
			      (s.dst4 >> 16) & 0xff, (s.dst4 >> 8) & 0xff, s.dst4 & 0xff, s.dport,
			      s.proto == 6 ? "tcp" : "udp");
	return lb::Service::parse(buf);
}

inline lb::FlowKey key_of(const PacketSpec &s)
{
	lb::FlowKey k{};
	if (s.net == Net::Ipv6) {
		uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8}, dst[16] = {0x20, 0x01, 0x0d, 0xb8};
		src[15] = s.src6_last;
		dst[15] = s.dst6_last;
		std::memcpy(&k.src, src, 16);
		std::memcpy(&k.dst, dst, 16);
		k.family = lb::Ipv6;
	} else {
		k.src.get<0>() = htonl(s.src4);
		k.dst.get<0>() = htonl(s.dst4);
		k.family = lb::Ipv4;
	}
	k.sport = be16::from_host(s.sport);
	k.dport = be16::from_host(s.dport);
	k.proto = s.proto;
	return k;
}

// The frame the LB must emit for `in` (built from s) sent to backend `to`: the link-layer
// header (MACs as given), the outer IP header, then the whole original datagram.
inline Bytes encapsulated(const PacketSpec &s, const Bytes &in, const lb::IpAddress &to,
			  const uint8_t *dmac = nullptr, const uint8_t *smac = nullptr)
{
	std::size_t l3 = l3_offset(s);
	uint32_t hash = lb::flow_hash(key_of(s));
	Bytes out(in.begin(), in.begin() + static_cast<long>(l3));
	if (dmac)
		std::memcpy(out.data(), dmac, 6);
	if (smac)
		std::memcpy(out.data() + 6, smac, 6);
	std::size_t inner = in.size() - l3;
	std::size_t inner_len = s.net == Net::Ipv6 ? (in[l3 + 4] << 8 | in[l3 + 5]) + 40u
						   : (in[l3 + 2] << 8 | in[l3 + 3]);
	if (s.net == Net::Ipv6) {
		uint32_t tc = ((in[l3] & 0x0f) << 4) | (in[l3 + 1] >> 4);
		uint32_t w = 6u << 28 | tc << 20 | (hash & 0xfffff);
		Bytes h = {static_cast<uint8_t>(w >> 24),
			   static_cast<uint8_t>(w >> 16),
			   static_cast<uint8_t>(w >> 8),
			   static_cast<uint8_t>(w),
			   static_cast<uint8_t>(inner_len >> 8),
			   static_cast<uint8_t>(inner_len),
			   41,
			   64};
		uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0xff, 0xff};
		uint32_t low = lb::mix32(hash ^ 0x5bd1e995u);
		std::memcpy(src + 8, &hash, 4); // raw words, as the program writes them
		std::memcpy(src + 12, &low, 4);
		h.insert(h.end(), src, src + 16);
		h.insert(h.end(), to.bytes.begin(), to.bytes.end());
		out.insert(out.end(), h.begin(), h.end());
	} else {
		uint32_t total = static_cast<uint32_t>(inner_len) + 20;
		Bytes h = {0x45,
			   in[l3 + 1],
			   static_cast<uint8_t>(total >> 8),
			   static_cast<uint8_t>(total),
			   0,
			   0,
			   0,
			   0,
			   64,
			   4,
			   0,
			   0,
			   198,
			   19,
			   static_cast<uint8_t>(hash >> 8),
			   static_cast<uint8_t>(hash)};
		h.insert(h.end(), to.bytes.begin(), to.bytes.begin() + 4);
		uint16_t c = static_cast<uint16_t>(~ref_sum(h.data(), h.size()));
		h[10] = static_cast<uint8_t>(c >> 8);
		h[11] = static_cast<uint8_t>(c);
		out.insert(out.end(), h.begin(), h.end());
	}
	out.insert(out.end(), in.begin() + static_cast<long>(l3),
		   in.begin() + static_cast<long>(l3 + inner));
	return out;
}

// The backend an output frame goes to (its outer destination), "" if not encapsulated.
inline std::string outer_dst(const Bytes &data, const PacketSpec &s)
{
	std::size_t l3 = l3_offset(s);
	if (data.size() < l3 + 40)
		return "";
	lb::IpAddress a;
	if (s.net == Net::Ipv6) {
		if (data[l3 + 6] != 41)
			return "";
		a.family = AF_INET6;
		std::memcpy(a.bytes.data(), &data[l3 + 24], 16);
	} else {
		if (data[l3 + 9] != 4)
			return "";
		a.family = AF_INET;
		std::memcpy(a.bytes.data(), &data[l3 + 16], 4);
	}
	return a.str();
}

// The backend's reply (VIP -> client, from flow spec f) quoted by a router's ICMP error
// sent to the VIP: IPv4 "fragmentation needed", ICMPv6 "packet too big".
Bytes icmp_too_big4(const PacketSpec &f);
Bytes icmp_too_big6(const PacketSpec &f);

// A VIP's packet in every variant the LB must encapsulate whole: both families and
// protocols, VLAN and QinQ tags, IPv4 options, link padding, IPv6 extension headers, an ACK.
std::vector<std::pair<std::string, PacketSpec>> vip_packet_variants();

// A VIP's IPv4 TCP packet (built from s) with a broken header: IHL 4, version 6, a total
// length past the frame, a TCP data offset of 3 words.
std::vector<std::pair<std::string, Bytes>> malformed_headers(const PacketSpec &s);

// ---- scenarios: the fixture cases as data ------------------------------------------------

// A step's change is made through the control plane on the runner's maps. Where the
// kernel's FIB answers (a resolved neighbour), the output's destination MAC is the
// neighbour's and its source the egress interface's (egress_smac: the runner fills it in).
using LbStep = Fixture<lb::Balancer>;
using LbScenario = FixtureScenario<lb::Balancer>;

// Whether a scenario needs the kernel's forwarding table (kFibSetup): a packet arriving on
// t0, or a redirect to a resolved neighbour. The host runner has no FIB and skips these.
inline bool needs_fib(const LbScenario &sc)
{
	for (const LbStep &st : sc.steps)
		if (!st.ifname.empty() || st.egress_smac)
			return true;
	return false;
}

// The cases of lb_fixture_test.cpp, for a kernel with kFibSetup's table.
std::vector<LbScenario> lb_scenarios();

// Deterministic mutants of every scenario packet (flipped bytes in the headers,
// truncations, extensions), per_packet of each.
std::vector<Bytes> lb_mutants(unsigned per_packet, unsigned seed);

} // namespace netext::testing::lbfix
