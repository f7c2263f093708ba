#include <netext/parsers.hpp>

#include <gtest/gtest.h>
#include <string>

#include "frame.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;
using Net = PacketSpec::Net;

namespace {

// Parses the first `len` bytes, held in an exactly-sized buffer (see Frame), so
// AddressSanitizer catches any read past the end.
Parse parse_prefix(const Bytes &b, std::size_t len, PacketInfo &info)
{
	Frame f(b, len);
	return parse_packet(f.view(), info);
}

struct Case {
	std::string name;
	PacketSpec spec;
	L3 l3;
	L4 l4;
};

std::vector<Case> valid_cases()
{
	std::vector<Case> cases;
	auto add = [&](std::string name, PacketSpec s, L3 l3, L4 l4) {
		cases.push_back({std::move(name), std::move(s), l3, l4});
	};
	PacketSpec s;
	s.payload = text("hello");
	add("ipv4_udp", s, L3::Ipv4, L4::Udp);
	s.proto = 6;
	add("ipv4_tcp", s, L3::Ipv4, L4::Tcp);
	s.tcp_options = {2, 4, 0x05, 0xb4, 1, 1, 4, 2}; // MSS, NOP, NOP, SACK-permitted
	add("ipv4_tcp_options", s, L3::Ipv4, L4::Tcp);
	s = {};
	s.proto = 1;
	s.payload = text("ping");
	add("ipv4_icmp", s, L3::Ipv4, L4::Icmp);
	s = {};
	s.ipv4_options = {0x94, 0x04, 0, 0}; // router alert
	add("ipv4_options_udp", s, L3::Ipv4, L4::Udp);
	s.ipv4_options.assign(40, 1);
	add("ipv4_max_options_udp", s, L3::Ipv4, L4::Udp);
	s = {};
	s.vlan_tpids = {0x8100};
	add("vlan_ipv4_udp", s, L3::Ipv4, L4::Udp);
	s.vlan_tpids = {0x88a8, 0x8100};
	add("qinq_ipv4_udp", s, L3::Ipv4, L4::Udp);
	s = {};
	s.proto = 47; // GRE: known L3, unknown L4
	s.payload = text("gre-ish");
	add("ipv4_other", s, L3::Ipv4, L4::Other);
	s = {};
	s.net = Net::Ipv6;
	s.payload = text("v6");
	add("ipv6_udp", s, L3::Ipv6, L4::Udp);
	s.proto = 6;
	add("ipv6_tcp", s, L3::Ipv6, L4::Tcp);
	s.proto = 58;
	add("ipv6_icmpv6", s, L3::Ipv6, L4::Icmpv6);
	s.proto = 17;
	s.ipv6_ext = {{0, 8}, {60, 16}, {43, 24}, {51, 12}};
	add("ipv6_ext_chain_udp", s, L3::Ipv6, L4::Udp);
	s.vlan_tpids = {0x8100};
	add("vlan_ipv6_ext_udp", s, L3::Ipv6, L4::Udp);
	s = {};
	s.net = Net::Ipv6;
	s.ipv6_ext = {{44, 8, 0, true}};
	add("ipv6_first_fragment", s, L3::Ipv6, L4::None);
	s = {};
	s.ipv4_frag = 0x2000; // MF
	add("ipv4_first_fragment", s, L3::Ipv4, L4::None);
	s.ipv4_frag = 0x0010; // offset 128 bytes
	add("ipv4_later_fragment", s, L3::Ipv4, L4::None);
	return cases;
}

} // namespace

TEST(Parsers, ValidPacketsOfEachKind)
{
	for (const Case &c : valid_cases()) {
		Bytes b = build(c.spec);
		PacketInfo info;
		ASSERT_EQ(parse_prefix(b, b.size(), info), Parse::Ok) << c.name;
		EXPECT_EQ(info.l3, c.l3) << c.name;
		EXPECT_EQ(info.l4, c.l4) << c.name;
		EXPECT_EQ(info.l3_off, l3_offset(c.spec)) << c.name;
		EXPECT_EQ(info.l3_end, b.size()) << c.name;
		EXPECT_EQ(info.l2.vlan_count, c.spec.vlan_tpids.size()) << c.name;
		if (c.l4 == L4::Udp || c.l4 == L4::Tcp) {
			EXPECT_EQ(info.l4info.off, l4_offset(c.spec)) << c.name;
			EXPECT_EQ(info.l4info.source.host(), c.spec.sport) << c.name;
			EXPECT_EQ(info.l4info.dest.host(), c.spec.dport) << c.name;
			EXPECT_EQ(info.l4info.payload_len, c.spec.payload.size()) << c.name;
		}
	}
}

TEST(Parsers, VlanIdsAndEtherTypes)
{
	PacketSpec s;
	s.vlan_tpids = {0x88a8, 0x8100};
	s.vlan_id = 0x0abc | 0xe000; // priority bits set: the id is the low 12 bits
	Frame f(build(s));
	PacketView v = f.view();
	L2Info l2;
	ASSERT_TRUE(parse_ethernet(v, l2));
	EXPECT_EQ(l2.vlan_count, 2);
	EXPECT_EQ(l2.vlan_ids.at_or(0, 0), 0x0abc);
	EXPECT_EQ(l2.vlan_ids.at_or(1, 0), 0x0abc);
	EXPECT_EQ(l2.proto, ethertype::Ipv4);
	EXPECT_EQ(l2.l3_off, 22u);
}

TEST(Parsers, EveryTruncationIsRejected)
{
	for (const Case &c : valid_cases()) {
		Bytes b = build(c.spec);
		for (std::size_t len = 0; len < b.size(); len++) {
			PacketInfo info;
			EXPECT_EQ(parse_prefix(b, len, info), Parse::Malformed)
				<< c.name << " truncated to " << len << " of " << b.size();
		}
	}
}

TEST(Parsers, NonIpFramesAreOkButUnparsed)
{
	PacketSpec s;
	s.net = Net::Arp;
	Bytes b = build(s);
	PacketInfo info;
	ASSERT_EQ(parse_prefix(b, b.size(), info), Parse::Ok);
	EXPECT_EQ(info.l3, L3::None);
	EXPECT_EQ(info.l2.proto, ethertype::Arp);
	for (std::size_t len = 0; len < 14; len++)
		EXPECT_EQ(parse_prefix(b, len, info), Parse::Malformed) << len;
}

TEST(Parsers, ThreeVlanTagsAreRefused)
{
	PacketSpec s;
	s.vlan_tpids = {0x88a8, 0x8100, 0x8100};
	Bytes b = build(s);
	PacketInfo info;
	EXPECT_EQ(parse_prefix(b, b.size(), info), Parse::Malformed);
}

TEST(Parsers, LinkLayerPaddingIsNotData)
{
	PacketSpec s;
	s.payload = text("x");
	s.pad_to = 60;
	Bytes b = build(s);
	ASSERT_EQ(b.size(), 60u);
	PacketInfo info;
	ASSERT_EQ(parse_prefix(b, b.size(), info), Parse::Ok);
	EXPECT_EQ(info.l4info.payload_len, 1u);
	EXPECT_EQ(info.l3_end, 14u + 20 + 8 + 1);
}

namespace {
Parse parse_modified(PacketSpec s, std::size_t off, uint8_t value)
{
	Bytes b = build(s);
	b.at(off) = value;
	PacketInfo info;
	return parse_prefix(b, b.size(), info);
}
} // namespace

TEST(Parsers, MalformedIpv4Fields)
{
	PacketSpec s;
	std::size_t ip = l3_offset(s);
	for (uint8_t ihl = 0; ihl < 5; ihl++)
		EXPECT_EQ(parse_modified(s, ip, static_cast<uint8_t>(0x40 | ihl)), Parse::Malformed)
			<< int(ihl);
	EXPECT_EQ(parse_modified(s, ip, 0x4f), Parse::Malformed);     // IHL 60 > packet
	EXPECT_EQ(parse_modified(s, ip, 0x65), Parse::Malformed);     // version 6 in an IPv4 frame
	EXPECT_EQ(parse_modified(s, ip + 2, 0xff), Parse::Malformed); // total length > bytes
	EXPECT_EQ(parse_modified(s, ip + 3, 19), Parse::Malformed);   // total < header
}

TEST(Parsers, MalformedTransportFields)
{
	PacketSpec s;
	s.proto = 6;
	s.payload = text("abcdefgh");
	std::size_t l4 = l4_offset(s);
	for (uint8_t doff = 0; doff < 5; doff++)
		EXPECT_EQ(parse_modified(s, l4 + 12, static_cast<uint8_t>(doff << 4)),
			  Parse::Malformed);
	EXPECT_EQ(parse_modified(s, l4 + 12, 0xf0), Parse::Malformed); // 60 bytes > segment
	EXPECT_EQ(parse_modified(s, l4 + 12, 0x70), Parse::Ok);	       // 28 bytes: options ok

	PacketSpec u;
	u.payload = text("abc");
	std::size_t ul4 = l4_offset(u);
	EXPECT_EQ(parse_modified(u, ul4 + 5, 7), Parse::Malformed);  // length < 8
	EXPECT_EQ(parse_modified(u, ul4 + 5, 12), Parse::Malformed); // length > IP payload
	EXPECT_EQ(parse_modified(u, ul4 + 5, 10), Parse::Ok);	     // shorter is allowed
}

TEST(Parsers, Ipv6ExtensionHeaderAbuse)
{
	PacketSpec s;
	s.net = Net::Ipv6;
	s.ipv6_ext.assign(kMaxIpv6ExtHeaders, Ipv6Ext{60, 8});
	Bytes ok = build(s);
	PacketInfo info;
	EXPECT_EQ(parse_prefix(ok, ok.size(), info), Parse::Ok);
	EXPECT_EQ(info.v6.ext_count, kMaxIpv6ExtHeaders);

	s.ipv6_ext.push_back({60, 8}); // one more than the walk allows
	Bytes too_long = build(s);
	EXPECT_EQ(parse_prefix(too_long, too_long.size(), info), Parse::Malformed);

	// A chain that never ends (each header names another destination-options header).
	PacketSpec loop;
	loop.net = Net::Ipv6;
	loop.proto = 60;
	loop.ipv6_ext.assign(3, Ipv6Ext{60, 8});
	loop.payload.assign(64, 0);
	for (std::size_t i = 0; i < 64; i += 8)
		loop.payload[i] = 60;
	Bytes looping = build(loop);
	EXPECT_EQ(parse_prefix(looping, looping.size(), info), Parse::Malformed);

	PacketSpec hbh;
	hbh.net = Net::Ipv6;
	hbh.ipv6_ext = {{60, 8}, {0, 8}}; // hop-by-hop must come first
	Bytes late = build(hbh);
	EXPECT_EQ(parse_prefix(late, late.size(), info), Parse::Malformed);

	PacketSpec big;
	big.net = Net::Ipv6;
	big.ipv6_ext = {{60, 8}};
	Bytes b = build(big);
	b.at(l3_offset(big) + 40 + 1) = 200; // hdrlen claims 1608 bytes
	EXPECT_EQ(parse_prefix(b, b.size(), info), Parse::Malformed);
}
