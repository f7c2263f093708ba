// Internet checksums (RFC 1071) over packet views, and incremental updates (RFC 1624).
#pragma once

#include <cstdint>

#include <netext/backend.hpp>
#include <netext/byteorder.hpp>
#include <netext/packet.hpp>

namespace netext::csum {

// Folds a 32-bit one's-complement accumulator to 16 bits (not inverted).
constexpr uint16_t fold(uint32_t sum) noexcept
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(sum);
}

// Adds the 16-bit big-endian words of view[off, off+len) to sum; an odd last byte is
// padded with zero. Returns sum unchanged if the range is not inside the view.
// MaxLen bounds the loop for the verifier.
template <uint32_t MaxLen>
NETEXT_INLINE uint32_t partial(const PacketView &v, uint32_t off, uint32_t len,
			       uint32_t sum = 0) noexcept
{
	if (len > MaxLen || !v.has(off, len))
		return sum;
	for (uint32_t i = 0; i + 1 < len && i < MaxLen; i += 2) {
		Ref<be16> w = v.get<be16>(off + i);
		if (!w)
			return sum;
		sum += w->host();
	}
	if (len & 1u) {
		int last = v.byte(off + len - 1);
		if (last >= 0)
			sum += static_cast<uint32_t>(last) << 8;
	}
	// Keep the carries from overflowing for long inputs.
	return (sum & 0xffff) + (sum >> 16);
}

// The final checksum field value for an accumulated sum.
constexpr be16 finish(uint32_t sum) noexcept
{
	return be16::from_host(static_cast<uint16_t>(~fold(sum)));
}

// Sum of a host-order 32-bit quantity as two 16-bit words.
constexpr uint32_t add32(uint32_t sum, uint32_t host_word) noexcept
{
	return sum + (host_word >> 16) + (host_word & 0xffff);
}

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit field changing from m to m'.
constexpr be16 update16(be16 check, be16 old_val, be16 new_val) noexcept
{
	uint32_t sum = static_cast<uint16_t>(~check.host());
	sum += static_cast<uint16_t>(~old_val.host());
	sum += new_val.host();
	return be16::from_host(static_cast<uint16_t>(~fold(sum)));
}

// The same for a 32-bit field (two 16-bit words).
constexpr be16 update32(be16 check, be32 old_val, be32 new_val) noexcept
{
	uint32_t sum = static_cast<uint16_t>(~check.host());
	uint32_t o = old_val.host(), n = new_val.host();
	sum += static_cast<uint16_t>(~(o >> 16)) + static_cast<uint16_t>(~(o & 0xffff));
	sum += (n >> 16) + (n & 0xffff);
	return be16::from_host(static_cast<uint16_t>(~fold(sum)));
}

// A UDP checksum of zero means "none" (IPv4 only); a computed zero is sent as 0xffff.
constexpr be16 udp_nonzero(be16 c) noexcept
{
	return c.raw() == 0 ? be16::from_raw(0xffff) : c;
}

} // namespace netext::csum
