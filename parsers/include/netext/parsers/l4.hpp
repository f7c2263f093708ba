// UDP, TCP (with its data offset), ICMP and ICMPv6. Each takes the L4 offset and the end
// of the network-layer payload, so trailing link-layer padding is never read as data.
#pragma once

#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext {

struct L4Info {
	uint32_t off = 0;
	uint32_t payload_off = 0;
	uint32_t payload_len = 0;
	be16 source{}, dest{}; // ports (zero for ICMP)
	uint8_t tcp_flags = 0;
};

// False if the header is cut off, its length field is below 8 or past l3_end.
NETEXT_INLINE bool parse_udp(const PacketView &v, uint32_t off, uint32_t l3_end,
			     L4Info &out) noexcept
{
	Ref<UdpHdr> udp = v.get<UdpHdr>(off);
	if (!udp || off + sizeof(UdpHdr) > l3_end)
		return false;
	uint32_t len = udp->len.host();
	if (len < sizeof(UdpHdr) || off + len > l3_end)
		return false;
	out.off = off;
	out.payload_off = off + sizeof(UdpHdr);
	out.payload_len = len - sizeof(UdpHdr);
	out.source = udp->source;
	out.dest = udp->dest;
	out.tcp_flags = 0;
	return true;
}

// False if the header is cut off or the data offset is below 5 words or past l3_end.
NETEXT_INLINE bool parse_tcp(const PacketView &v, uint32_t off, uint32_t l3_end,
			     L4Info &out) noexcept
{
	Ref<TcpHdr> tcp = v.get<TcpHdr>(off);
	if (!tcp || off + sizeof(TcpHdr) > l3_end)
		return false;
	uint32_t hlen = tcp->header_len();
	if (hlen < sizeof(TcpHdr) || off + hlen > l3_end)
		return false;
	out.off = off;
	out.payload_off = off + hlen;
	out.payload_len = l3_end - (off + hlen);
	out.source = tcp->source;
	out.dest = tcp->dest;
	out.tcp_flags = tcp->flags;
	return true;
}

// ICMP and ICMPv6: an 8-byte header inside the network payload.
NETEXT_INLINE bool parse_icmp(const PacketView &v, uint32_t off, uint32_t l3_end,
			      L4Info &out) noexcept
{
	Ref<IcmpHdr> icmp = v.get<IcmpHdr>(off);
	if (!icmp || off + sizeof(IcmpHdr) > l3_end)
		return false;
	out.off = off;
	out.payload_off = off + sizeof(IcmpHdr);
	out.payload_len = l3_end - out.payload_off;
	out.source = be16{};
	out.dest = be16{};
	out.tcp_flags = 0;
	return true;
}

} // namespace netext
