// Internet checksums (RFC 1071) over packet views, and incremental updates (RFC 1624).
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/backend.hpp>
#include <netext/byteorder.hpp>
#include <netext/packet.hpp>

#if NETEXT_BACKEND_EBPF
#include <netext/ebpf/helpers.hpp>
#endif

namespace netext::csum {

// Folds a 32-bit one's-complement accumulator to 16 bits (not inverted).
constexpr uint16_t fold(uint32_t sum) noexcept
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(sum);
}

namespace detail {

// The SDK's one door to raw packet memory for checksums (bpf_csum_diff takes a pointer).
struct Access {
	// Where off points, unchecked: for a callee that checks every access against end().
	// The caller has already bounded off by kMaxPacketOffset.
	NETEXT_INLINE static const uint8_t *at(const PacketView &v, uint32_t off) noexcept
	{
		return v.begin_ + off;
	}
	NETEXT_INLINE static const uint8_t *end(const PacketView &v) noexcept { return v.end_; }
};

constexpr uint16_t bswap16(uint16_t v) noexcept
{
	return static_cast<uint16_t>(v << 8 | v >> 8);
}

#if NETEXT_BACKEND_EBPF
// Sums of packet bytes through bpf_csum_diff, driven by bpf_loop: the callbacks are
// verified once per call site, where a plain loop is verified once per trip count and
// multiplies with every parser path before it (a full-frame word loop in the echo app
// exceeded the verifier's 1M-instruction budget).
struct SumState {
	const uint8_t *p;
	const uint8_t *end;
	uint32_t le; // running sum in the CPU's (little-endian) byte order
};

template <uint32_t Chunk>
[[gnu::noinline]] static long sum_chunk(uint64_t index, void *ctx)
{
	auto *s = static_cast<SumState *>(ctx);
	// 127 chunks of 64 keep offset + length under the verifier's 0xffff packet bound.
	const uint8_t *p = s->p + (index & 127) * Chunk;
	if (p + Chunk > s->end)
		return 1;
	s->le = static_cast<uint32_t>(ebpf::csum_diff(nullptr, 0, p, Chunk, s->le));
	return 0;
}
#endif

} // namespace detail

// Largest range partial() sums.
inline constexpr uint32_t kMaxSumLen = 127 * 64;

// Adds the 16-bit big-endian words of view[off, off+len) to sum; an odd last byte is
// padded with zero. Returns sum unchanged if the range is not inside the view or is
// longer than MaxLen (at most kMaxSumLen).
//
// On eBPF whole 64-byte chunks go through bpf_csum_diff; the rest (< 64 bytes) is summed
// inline, eight bytes a load, then byte by byte. Both sum in the CPU's little-endian
// order; by RFC 1071's byte-order independence the folded result only needs a byte swap.
template <uint32_t MaxLen>
NETEXT_INLINE uint32_t partial(const PacketView &v, uint32_t off, uint32_t len,
			       uint32_t sum = 0) noexcept
{
	static_assert(MaxLen <= kMaxSumLen);
	if (len > MaxLen || !v.has(off, len))
		return sum;
	NETEXT_BOUNDED(off, kMaxPacketOffset);
	NETEXT_BOUNDED(len, 8191u); // len <= MaxLen <= kMaxSumLen < 8192
#if NETEXT_BACKEND_EBPF
	uint64_t le = 0;
	uint32_t i = 0;
	if constexpr (MaxLen >= 64) {
		if (len >= 64) {
			detail::SumState st{detail::Access::at(v, off), detail::Access::end(v), 0};
			// A mask, not a division, so that every verifier sees the bound (len <=
			// 8191): a range check on len may sit on another register copy.
			uint32_t bulk = len & (127u * 64u); // whole 64-byte chunks, in bytes
			ebpf::loop(bulk / 64, &detail::sum_chunk<64>, &st);
			le = st.le;
			i = bulk;
		}
	}
	for (uint32_t k = 0; k < 7; k++) {
		uint64_t w = 0;
		if (i + 8 > len)
			break;
		if (!v.load(off + i, w))
			return sum;
		le += (w & 0xffffffffu) + (w >> 32);
		i += 8;
	}
	for (uint32_t k = 0; k < 3; k++) { // then 16-bit words (first byte the low one)
		uint16_t w = 0;
		if (i + 2 > len)
			break;
		if (!v.load(off + i, w))
			return sum;
		le += w;
		i += 2;
	}
	if (i < len) { // an odd last byte: a word's low byte, the high one zero
		int b = v.byte(off + i);
		if (b < 0)
			return sum;
		le += static_cast<uint32_t>(b);
	}
	le = (le & 0xffffffffu) + (le >> 32);
	le = (le & 0xffffffffu) + (le >> 32);
	sum += detail::bswap16(fold(static_cast<uint32_t>(le)));
#else
	for (uint32_t i = 0; i + 1 < len; i += 2) {
		int hi = v.byte(off + i), lo = v.byte(off + i + 1);
		if (hi < 0 || lo < 0)
			return sum;
		sum += static_cast<uint32_t>(hi << 8 | lo);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		int last = v.byte(off + len - 1);
		if (last >= 0)
			sum += static_cast<uint32_t>(last) << 8;
	}
#endif
	// Keep the carries from overflowing for long inputs.
	return (sum & 0xffff) + (sum >> 16);
}

// Largest range copy_partial() takes.
inline constexpr uint32_t kMaxCopySumLen = 63;

// Copies view[off, off + len), len < 64, into dst[dst_off, dst_off + len) and adds its
// 16-bit big-endian words to sum as partial() does: one pass over the bytes, no helper
// call (a cached answer's short pieces: bpf_skb_load_bytes and bpf_csum_diff cost more
// than the copy). DstMask (2^n - 1) bounds dst_off + len as array::store's Mask. False,
// with dst and sum as they were or partly written, if the range is not inside the view
// or the array.
template <uint32_t DstMask, std::size_t N>
NETEXT_INLINE bool copy_partial(const PacketView &v, uint32_t off, uint32_t len,
				array<uint8_t, N> &dst, uint32_t dst_off, uint32_t &sum) noexcept
{
	// In 64 bits: DstMask + 8 in 32 would wrap and prove nothing.
	static_assert(((uint64_t{DstMask} + 1) & DstMask) == 0, "DstMask must be 2^n - 1");
	static_assert(DstMask >= kMaxCopySumLen, "DstMask must cover a whole piece");
	static_assert(uint64_t{DstMask} + 8 <= N, "DstMask + 8 must fit in the array");
	if (len > kMaxCopySumLen || !v.has(off, len) || dst_off > DstMask - kMaxCopySumLen)
		return false;
	NETEXT_BOUNDED(off, kMaxPacketOffset);
	NETEXT_BOUNDED(len, kMaxCopySumLen);
#if NETEXT_BACKEND_EBPF
	uint64_t le = 0;
	uint32_t i = 0;
	for (uint32_t k = 0; k < 7; k++) { // eight bytes a load, as partial() sums them
		uint64_t w = 0;
		if (i + 8 > len)
			break;
		if (!v.load(off + i, w) || !dst.template store<uint64_t, DstMask>(dst_off + i, w))
			return false;
		le += (w & 0xffffffffu) + (w >> 32);
		i += 8;
	}
	if (i < len && len >= 8) {
		// The last 1-7 bytes: the eight ending the range, copied over bytes already
		// copied; summed without them (the new bytes are the word's high ones).
		uint64_t w = 0;
		if (!v.load(off + len - 8, w) ||
		    !dst.template store<uint64_t, DstMask>(dst_off + len - 8, w))
			return false;
		w >>= 8 * (8 - (len - i));
		le += (w & 0xffffffffu) + (w >> 32);
	} else {
		for (uint32_t k = 0; k < 7; k++, i++) { // a range under eight bytes
			if (i >= len)
				break;
			int b = v.byte(off + i);
			auto byte = static_cast<uint8_t>(b);
			if (b < 0 || !dst.template store<uint8_t, DstMask>(dst_off + i, byte))
				return false;
			le += static_cast<uint32_t>(b) << ((i & 1) * 8);
		}
	}
	le = (le & 0xffffffffu) + (le >> 32);
	le = (le & 0xffffffffu) + (le >> 32);
	sum += detail::bswap16(fold(static_cast<uint32_t>(le)));
#else
	for (uint32_t i = 0; i < len; i++) {
		int b = v.byte(off + i);
		if (b < 0 || !dst.set(dst_off + i, static_cast<uint8_t>(b)))
			return false;
	}
	sum = partial<kMaxCopySumLen>(v, off, len, sum);
#endif
	return true;
}

// A piece's sum (computed as if the piece started at an even offset) as it counts at
// offset `off` of the summed data: byte-swapped at an odd offset (RFC 1071, 2.(B)). Sums
// of pieces stored apart can so be added up for data assembled from them.
constexpr uint16_t at_offset(uint16_t sum, uint32_t off) noexcept
{
	return (off & 1) ? detail::bswap16(sum) : sum;
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
