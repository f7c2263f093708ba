// IPv4 with options (the header length comes from IHL).
#pragma once

#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext {

struct Ipv4Info {
	uint32_t off = 0;	 // header start
	uint32_t header_len = 0; // 20..60
	uint32_t l4_off = 0;	 // off + header_len
	uint32_t total_len = 0;	 // from the header; the packet may carry padding after it
	uint8_t protocol = 0;
	bool fragment = false; // a fragment: only the first has an L4 header, none is whole
	bool first_fragment = false;
	be32 saddr{}, daddr{};
};

// False if the header is truncated, not version 4, IHL < 5, or the total length is
// shorter than the header or longer than the bytes present.
NETEXT_INLINE bool parse_ipv4(const PacketView &v, uint32_t off, Ipv4Info &out) noexcept
{
	Ref<Ipv4Hdr> ip = v.get<Ipv4Hdr>(off);
	if (!ip || ip->version() != 4 || ip->ihl() < 5)
		return false;
	uint32_t hlen = ip->header_len();
	uint32_t total = ip->tot_len.host();
	if (total < hlen || !v.has(off, total))
		return false;
	out.off = off;
	out.header_len = hlen;
	out.l4_off = off + hlen;
	out.total_len = total;
	out.protocol = ip->protocol;
	out.fragment = ip->more_fragments() || ip->fragment_offset() != 0;
	out.first_fragment = out.fragment && ip->fragment_offset() == 0;
	out.saddr = ip->saddr;
	out.daddr = ip->daddr;
	return true;
}

} // namespace netext
