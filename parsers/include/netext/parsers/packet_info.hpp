// One call from Ethernet to the transport header: what most programs need first.
#pragma once

#include <netext/packet.hpp>
#include <netext/parsers/ethernet.hpp>
#include <netext/parsers/ipv4.hpp>
#include <netext/parsers/ipv6.hpp>
#include <netext/parsers/l4.hpp>

namespace netext {

enum class L3 : uint8_t { None, Ipv4, Ipv6 };
enum class L4 : uint8_t { None, Tcp, Udp, Icmp, Icmpv6, Other };

struct PacketInfo {
	L2Info l2;
	L3 l3 = L3::None;
	uint32_t l3_off = 0;
	uint32_t l3_end = 0; // end of the network-layer datagram (before any padding)
	uint8_t ip_proto = 0;
	bool fragment = false;
	Ipv4Info v4;
	Ipv6Info v6;
	L4 l4 = L4::None;
	L4Info l4info;
};

enum class Parse : uint8_t {
	Ok,	   // as far as the packet goes: l3/l4 say what was found
	Malformed, // a header that is present is cut off or inconsistent
};

// Parses L2, L3 (IPv4/IPv6) and L4 (TCP/UDP/ICMP/ICMPv6). A non-IP EtherType or an
// unknown transport is Ok with l3/l4 None/Other; fragments stop at L3 (their transport
// header is absent or incomplete). A header that is present but broken is Malformed.
NETEXT_INLINE Parse parse_packet(const PacketView &v, PacketInfo &out) noexcept
{
	if (!parse_ethernet(v, out.l2))
		return Parse::Malformed;
	out.l3_off = out.l2.l3_off;
	uint32_t l4_off = 0;
	if (out.l2.proto == ethertype::Ipv4) {
		if (!parse_ipv4(v, out.l3_off, out.v4))
			return Parse::Malformed;
		out.l3 = L3::Ipv4;
		out.l3_end = out.l3_off + out.v4.total_len;
		out.ip_proto = out.v4.protocol;
		out.fragment = out.v4.fragment;
		l4_off = out.v4.l4_off;
	} else if (out.l2.proto == ethertype::Ipv6) {
		if (!parse_ipv6(v, out.l3_off, out.v6))
			return Parse::Malformed;
		out.l3 = L3::Ipv6;
		out.l3_end = out.l3_off + out.v6.total_len;
		out.ip_proto = out.v6.protocol;
		out.fragment = out.v6.fragment;
		l4_off = out.v6.l4_off;
	} else {
		out.l3 = L3::None;
		out.l4 = L4::None;
		return Parse::Ok;
	}
	if (out.fragment) {
		out.l4 = L4::None;
		return Parse::Ok;
	}
	bool ok = true;
	if (out.ip_proto == ipproto::Tcp) {
		out.l4 = L4::Tcp;
		ok = parse_tcp(v, l4_off, out.l3_end, out.l4info);
	} else if (out.ip_proto == ipproto::Udp) {
		out.l4 = L4::Udp;
		ok = parse_udp(v, l4_off, out.l3_end, out.l4info);
	} else if (out.ip_proto == ipproto::Icmp && out.l3 == L3::Ipv4) {
		out.l4 = L4::Icmp;
		ok = parse_icmp(v, l4_off, out.l3_end, out.l4info);
	} else if (out.ip_proto == ipproto::Icmpv6 && out.l3 == L3::Ipv6) {
		out.l4 = L4::Icmpv6;
		ok = parse_icmp(v, l4_off, out.l3_end, out.l4info);
	} else {
		out.l4 = L4::Other;
	}
	return ok ? Parse::Ok : Parse::Malformed;
}

} // namespace netext
