// PacketView: a zero-copy, bounded view of packet bytes.
//
// Every access is checked against the view's end, in the form the eBPF verifier
// understands (pointer + size compared with the end pointer), and a failed check yields
// an empty result rather than a read. There is no way to obtain bytes past data_end.
#pragma once

#include <cstddef>
#include <cstdint>

#include <netext/backend.hpp>
#include <netext/noref.hpp>
#include <netext/ref.hpp>

#if NETEXT_BACKEND_EBPF
#include <netext/ebpf/helpers.hpp>
#elif NETEXT_BACKEND_NATIVE
#include <netext/native/runtime.hpp>
#endif

namespace netext {

// Offsets and lengths beyond this are rejected before pointer arithmetic. The verifier
// needs a bound on every variable offset, and it only trusts a bounds check when the
// offset's bound plus the access size stays within 0xffff (MAX_PACKET_OFF); 0x7fff leaves
// room for both, and is above any linear frame XDP or tc hands a program.
inline constexpr uint32_t kMaxPacketOffset = 0x7fff;
static_assert((kMaxPacketOffset & (kMaxPacketOffset + 1)) == 0, "a mask: 2^n - 1");

namespace csum::detail {
struct Access;
}

namespace detail {
// sizeof(T) for an access of packet bytes, checked in 64 bits before it is narrowed to
// the 32-bit lengths the bounds check takes: a type of 2^32 + 16 bytes would otherwise be
// checked as 16 and then read or written whole.
template <class T>
consteval uint32_t packet_size_of()
{
	static_assert(uint64_t{sizeof(T)} <= kMaxPacketOffset,
		      "a packet access is at most kMaxPacketOffset (32767) bytes: use a smaller "
		      "type, or copy the range in pieces");
	return static_cast<uint32_t>(sizeof(T));
}
} // namespace detail

// Not trivially copyable (a user-provided copy): a view cannot be made out of bytes
// (std::bit_cast, memcpy into one) nor stored in a map or a packet (not NoRef).
class PacketView {
	uint8_t *begin_ = nullptr;
	uint8_t *end_ = nullptr;
	friend struct csum::detail::Access; // checksums hand packet memory to a helper

	// The one bounds check every access goes through: [off, off + len) inside the view,
	// in the form the verifier understands (pointer + size compared with the end).
	NETEXT_INLINE uint8_t *bytes(uint32_t off, uint32_t len) const noexcept
	{
		if (off > kMaxPacketOffset || len > kMaxPacketOffset)
			return nullptr;
		NETEXT_BOUNDED(off, kMaxPacketOffset);
		NETEXT_BOUNDED(len, kMaxPacketOffset);
		uint8_t *p = begin_ + off;
		if (p + len > end_)
			return nullptr;
		return p;
	}

public:
	constexpr PacketView() noexcept = default;
	// For backends and the host runner only: the bytes [begin, end) must be valid.
	constexpr PacketView(uint8_t *begin, uint8_t *end) noexcept : begin_(begin), end_(end) {}
	NETEXT_INLINE constexpr PacketView(const PacketView &o) noexcept
		: begin_(o.begin_), end_(o.end_)
	{}
	// NOLINTNEXTLINE(bugprone-unhandled-self-assignment)
	NETEXT_INLINE constexpr PacketView &operator=(const PacketView &o) noexcept
	{
		begin_ = o.begin_;
		end_ = o.end_;
		return *this;
	}

	[[nodiscard]] NETEXT_INLINE uint32_t size() const noexcept
	{
		return static_cast<uint32_t>(end_ - begin_);
	}
	[[nodiscard]] NETEXT_INLINE bool empty() const noexcept { return begin_ >= end_; }

	// Does [off, off + len) lie inside the view?
	[[nodiscard]] NETEXT_INLINE bool has(uint32_t off, uint32_t len) const noexcept
	{
		return bytes(off, len) != nullptr;
	}

	// A T at byte offset off, or empty if it does not fit. Protocol headers sit at offsets
	// aligned for their type when the frame starts at NET_IP_ALIGN (the host runner lays
	// frames out so; x86-64 and the BPF JIT load unaligned data anyway). For a field at an
	// arbitrary offset use load/store, which copy bytes. T has no padding (Wire): a
	// header written through the Ref writes every byte it covers; and no netext::Atomic
	// (PacketType): atomics act on map values only.
	template <PacketType T>
	[[nodiscard]] NETEXT_INLINE Ref<T> get(uint32_t off) const noexcept
	{
		return Ref<T>(reinterpret_cast<T *>(bytes(off, detail::packet_size_of<T>())));
	}

	// Copies a T out of the packet; false (out untouched) if it does not fit. Any bytes
	// may be there, so every bit pattern must be a T (Bits: no bool).
	template <Bits T>
	[[nodiscard]] NETEXT_INLINE bool load(uint32_t off, T &out) const noexcept
	{
		constexpr uint32_t size = detail::packet_size_of<T>();
		uint8_t *p = bytes(off, size);
		if (!p)
			return false;
		__builtin_memcpy(&out, NETEXT_UNALIGNED(p, size), size);
		return true;
	}

	// Writes a T into the packet; false (packet untouched) if it does not fit. T has no
	// padding (Wire), so no byte of the program's stack reaches the packet unset.
	template <Wire T>
	NETEXT_INLINE bool store(uint32_t off, const T &v) const noexcept
	{
		constexpr uint32_t size = detail::packet_size_of<T>();
		uint8_t *p = bytes(off, size);
		if (!p)
			return false;
		__builtin_memcpy(NETEXT_UNALIGNED(p, size), &v, size);
		return true;
	}

	// One byte, or -1 past the end.
	[[nodiscard]] NETEXT_INLINE int byte(uint32_t off) const noexcept
	{
		Ref<uint8_t> r = get<uint8_t>(off);
		return r ? *r : -1;
	}

	// The bytes [off, off + len), clipped to the view; empty if off is past the end.
	[[nodiscard]] NETEXT_INLINE PacketView sub(uint32_t off, uint32_t len) const noexcept
	{
		uint8_t *b = bytes(off, 0);
		if (!b || len > kMaxPacketOffset)
			return {};
		uint8_t *e = b + len;
		if (e > end_)
			e = end_;
		return {b, e};
	}
	// The bytes from off to the end.
	[[nodiscard]] NETEXT_INLINE PacketView from(uint32_t off) const noexcept
	{
		uint8_t *b = bytes(off, 0);
		if (!b)
			return {};
		return {b, end_};
	}

	// Offset of the first byte equal to c in [off, off + MaxScan), or -1.
	// MaxScan is a constant so the loop is bounded for the verifier.
	template <uint32_t MaxScan>
	[[nodiscard]] NETEXT_INLINE int32_t find(uint8_t c, uint32_t off) const noexcept
	{
		for (uint32_t i = 0; i < MaxScan; i++) {
			int b = byte(off + i);
			if (b < 0)
				return -1;
			if (b == c)
				return static_cast<int32_t>(off + i);
		}
		return -1;
	}

	// Offset of the first "\r\n" starting in [off, off + MaxScan), or -1.
	template <uint32_t MaxScan>
	[[nodiscard]] NETEXT_INLINE int32_t find_crlf(uint32_t off) const noexcept
	{
		for (uint32_t i = 0; i < MaxScan; i++) {
			const uint8_t *p = bytes(off + i, 2);
			if (!p)
				return -1;
			if (p[0] == '\r' && p[1] == '\n')
				return static_cast<int32_t>(off + i);
		}
		return -1;
	}

	// Do the bytes at off equal the literal (without its terminating NUL)?
	template <std::size_t N>
	[[nodiscard]] NETEXT_INLINE bool equals(uint32_t off, const char (&lit)[N]) const noexcept
	{
		// Its own check rather than bytes(): through bytes() clang spills one pointer per
		// compared byte and the verifier loses the range of one of them (mcparse, 6.18).
		static_assert(N - 1 <= kMaxPacketOffset, "a literal longer than any packet");
		constexpr uint32_t len = N - 1;
		if (off > kMaxPacketOffset)
			return false;
		uint8_t *p = begin_ + off;
		if (p + len > end_)
			return false;
		for (uint32_t i = 0; i < len; i++)
			if (p[i] != static_cast<uint8_t>(lit[i]))
				return false;
		return true;
	}

	// Do the first len bytes at off equal those of other at other_off? False if either
	// range is out of bounds. MaxLen bounds the loop for the verifier.
	template <uint32_t MaxLen>
	[[nodiscard]] NETEXT_INLINE bool equal_range(uint32_t off, const PacketView &other,
						     uint32_t other_off,
						     uint32_t len) const noexcept
	{
		if (len > MaxLen || !has(off, len) || !other.has(other_off, len))
			return false;
		for (uint32_t i = 0; i < MaxLen && i < len; i++) {
			int a = byte(off + i);
			if (a < 0 || a != other.byte(other_off + i))
				return false;
		}
		return true;
	}

	// Offset of the first byte in [from, to) for which Pred::match(byte) holds, or `to`
	// if none does (also when the range is not inside the view). MaxScan bounds the
	// range. For long ranges: on eBPF the scan runs in a bpf_loop callback, 8 bytes per
	// call, so the verifier checks the callback once instead of walking every byte (a
	// plain loop over a memcached request line exceeded its 8192-jump limit).
	template <class Pred, uint32_t MaxScan>
	[[nodiscard]] NETEXT_INLINE uint32_t scan(uint32_t from, uint32_t to) const noexcept;

	template <std::size_t N>
	NETEXT_INLINE bool write(uint32_t off, const char (&lit)[N]) const noexcept
	{
		static_assert(N - 1 <= kMaxPacketOffset, "a literal longer than any packet");
		constexpr uint32_t len = N - 1;
		uint8_t *p = bytes(off, len);
		if (!p)
			return false;
		for (uint32_t i = 0; i < len; i++)
			p[i] = static_cast<uint8_t>(lit[i]);
		return true;
	}
};

namespace detail {

#if NETEXT_BACKEND_EBPF
struct ScanState {
	const uint8_t *p;   // the start of the range
	const uint8_t *end; // the view's end (data_end)
	uint32_t len;	    // bytes to scan
	uint32_t found;	    // offset from p of the first match, or len
};

template <class Pred>
[[gnu::noinline]] static long scan_chunk(uint64_t index, void *ctx)
{
	auto *s = static_cast<ScanState *>(ctx);
	uint32_t base = static_cast<uint32_t>(index & 1023) * 8; // <= 8184: offsets stay bounded
	const uint8_t *q = s->p + base;
	for (uint32_t j = 0; j < 8; j++) {
		if (base + j >= s->len || q + j + 1 > s->end)
			return 1; // past the range: s->found stays len
		if (Pred::match(q[j])) {
			s->found = base + j;
			return 1;
		}
	}
	return 0;
}
#endif

} // namespace detail

template <class Pred, uint32_t MaxScan>
NETEXT_INLINE uint32_t PacketView::scan(uint32_t from, uint32_t to) const noexcept
{
	// len is masked with 8191 below: 8192 would mask to 0.
	static_assert(MaxScan <= 8191, "scan ranges are limited to 8191 bytes");
	if (to <= from || to - from > MaxScan || !has(from, to - from))
		return to;
	// Most scans stop at once (the next token starts right here): no loop for those.
	if (int b = byte(from); b >= 0 && Pred::match(static_cast<uint8_t>(b)))
		return from;
	uint32_t len = to - from;
	NETEXT_BOUNDED(from, kMaxPacketOffset);
	NETEXT_BOUNDED(len, 8191u);
#if NETEXT_BACKEND_EBPF
	detail::ScanState st{begin_ + from, end_, len & 8191u, len & 8191u};
	ebpf::loop((len + 7) / 8, &detail::scan_chunk<Pred>, &st);
	return from + st.found;
#else
	for (uint32_t i = 0; i < len; i++)
		if (Pred::match(begin_[from + i]))
			return from + i;
	return to;
#endif
}

// A cursor walking forward through a view, one header at a time.
class Cursor {
	PacketView view_;
	uint32_t off_ = 0;

public:
	// NOLINTNEXTLINE(performance-unnecessary-value-param)
	constexpr explicit Cursor(PacketView v, uint32_t off = 0) noexcept : view_(v), off_(off) {}

	[[nodiscard]] constexpr uint32_t offset() const noexcept { return off_; }
	[[nodiscard]] constexpr const PacketView &view() const noexcept { return view_; }

	// The next T, advancing past it; empty (cursor unmoved) if it does not fit.
	template <PacketType T>
	NETEXT_INLINE Ref<T> take() noexcept
	{
		Ref<T> r = view_.get<T>(off_);
		if (r)
			off_ += detail::packet_size_of<T>();
		return r;
	}
	// Skips n bytes; false (cursor unmoved) if they are not all present.
	NETEXT_INLINE bool skip(uint32_t n) noexcept
	{
		if (!view_.has(off_, n))
			return false;
		off_ += n;
		return true;
	}
};

} // namespace netext
