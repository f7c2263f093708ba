// IPv6 with a bounded walk over extension headers.
#pragma once

#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext {

// More extension headers than this and the packet is refused (no legitimate packet has
// them; attackers use long chains to exhaust parsers).
inline constexpr uint32_t kMaxIpv6ExtHeaders = 6;

struct Ipv6Info {
	uint32_t off = 0;
	uint32_t l4_off = 0;	// after all extension headers
	uint32_t total_len = 0; // 40 + payload length
	uint8_t protocol = 0;	// the upper-layer protocol (or Esp / NoNext)
	uint8_t ext_count = 0;
	bool fragment = false;
	bool first_fragment = false;
};

NETEXT_INLINE bool is_ipv6_ext(uint8_t nh) noexcept
{
	return nh == ipproto::HopByHop || nh == ipproto::Routing || nh == ipproto::Fragment ||
	       nh == ipproto::DestOpts || nh == ipproto::Ah;
}

// False if truncated, not version 6, the payload length exceeds the bytes present, an
// extension header is cut off, hop-by-hop is not first, or the chain is too long.
NETEXT_INLINE bool parse_ipv6(const PacketView &v, uint32_t off, Ipv6Info &out) noexcept
{
	Ref<Ipv6Hdr> ip = v.get<Ipv6Hdr>(off);
	if (!ip || ip->version() != 6)
		return false;
	uint32_t total = sizeof(Ipv6Hdr) + ip->payload_len.host();
	if (!v.has(off, total))
		return false;
	uint32_t end = off + total;
	uint8_t nh = ip->nexthdr;
	uint32_t cur = off + sizeof(Ipv6Hdr);
	out.fragment = false;
	out.first_fragment = false;
	uint32_t i = 0;
	for (; i < kMaxIpv6ExtHeaders; i++) {
		if (!is_ipv6_ext(nh))
			break;
		if (nh == ipproto::HopByHop && i != 0)
			return false;
		uint32_t len = 0;
		uint8_t next = 0;
		if (nh == ipproto::Fragment) {
			Ref<Ipv6FragHdr> fh = v.get<Ipv6FragHdr>(cur);
			if (!fh)
				return false;
			len = sizeof(Ipv6FragHdr);
			next = fh->nexthdr;
			uint16_t fo = fh->frag_off.host();
			out.fragment = true;
			out.first_fragment = (fo & 0xfff8) == 0;
		} else {
			Ref<Ipv6ExtHdr> eh = v.get<Ipv6ExtHdr>(cur);
			if (!eh)
				return false;
			// AH counts 4-byte units minus 2; the others 8-byte units minus 1.
			len = nh == ipproto::Ah ? (eh->hdrlen + 2u) * 4u : (eh->hdrlen + 1u) * 8u;
			next = eh->nexthdr;
		}
		if (cur + len > end)
			return false;
		cur += len;
		nh = next;
	}
	if (is_ipv6_ext(nh))
		return false; // chain longer than kMaxIpv6ExtHeaders
	out.off = off;
	out.l4_off = cur;
	out.total_len = total;
	out.protocol = nh;
	out.ext_count = static_cast<uint8_t>(i);
	return true;
}

} // namespace netext
