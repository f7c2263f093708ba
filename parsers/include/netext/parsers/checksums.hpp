// Full checksums of the headers the parsers know: the IPv4 header checksum and the
// UDP/TCP/ICMPv6 checksums with their IPv4/IPv6 pseudo-headers.
#pragma once

#include <netext/checksum.hpp>
#include <netext/parsers/headers.hpp>

namespace netext::csum {

// The checksum an IPv4 header at off should carry (its own check field counted as zero).
NETEXT_INLINE be16 ipv4_header(const PacketView &v, uint32_t off, uint32_t header_len) noexcept
{
	uint32_t sum = partial<60>(v, off, header_len);
	Ref<Ipv4Hdr> ip = v.get<Ipv4Hdr>(off);
	if (ip) // remove the stored checksum's contribution
		sum += static_cast<uint16_t>(~ip->check.host());
	return finish(sum);
}

// Pseudo-header sums (RFC 768 / RFC 8200 section 8.1).
NETEXT_INLINE uint32_t pseudo_v4(be32 saddr, be32 daddr, uint8_t proto, uint32_t l4_len) noexcept
{
	uint32_t sum = add32(0, saddr.host());
	sum = add32(sum, daddr.host());
	return sum + proto + l4_len;
}

NETEXT_INLINE uint32_t pseudo_v6(const PacketView &v, uint32_t ip_off, uint8_t proto,
				 uint32_t l4_len) noexcept
{
	// source and destination addresses: 32 bytes starting 8 bytes into the header
	uint32_t sum = partial<32>(v, ip_off + 8, 32);
	return add32(sum, l4_len) + proto;
}

// The checksum the transport header at l4_off (length l4_len, checksum field at
// check_off within it) should carry. The stored field's contribution is removed.
template <uint32_t MaxLen = 1500>
NETEXT_INLINE be16 l4(const PacketView &v, uint32_t pseudo_sum, uint32_t l4_off, uint32_t l4_len,
		      uint32_t check_off) noexcept
{
	uint32_t sum = partial<MaxLen>(v, l4_off, l4_len, pseudo_sum);
	Ref<be16> stored = v.get<be16>(l4_off + check_off);
	if (stored)
		sum += static_cast<uint16_t>(~stored->host());
	return finish(sum);
}

} // namespace netext::csum
