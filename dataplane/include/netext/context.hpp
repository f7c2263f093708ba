// Typed program contexts. An XDP program receives an XdpContext and returns XdpAction;
// a tc program receives a TcContext and returns TcAction. The packet is reached only
// through ctx.packet(), a bounded PacketView; after an XDP head/tail adjustment, take a
// new view (old views keep pointing inside the same frame buffer, never outside it). A
// tc program never moves the packet under its views: it asks for a pull as its verdict
// (TcContext::pull) and runs again. Contexts are not copyable: the one a program
// receives is the only one.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/backend.hpp>
#include <netext/packet.hpp>
#include <netext/verdict.hpp>

#if NETEXT_BACKEND_EBPF
#include <netext/ebpf/helpers.hpp>
#elif NETEXT_BACKEND_NATIVE
#include <netext/native/runtime.hpp>
#else
#include <netext/host/frame.hpp>
#endif

namespace netext {

// What the kernel's forwarding table says about a destination (bpf_fib_lookup): the
// interface a packet to it would leave by and the MAC addresses to write.
enum class Fib : uint8_t {
	Ok,	     // forwarded: ifindex, smac and dmac are set
	NoNeighbour, // a route, but no resolved neighbour yet (the stack resolves it)
	NoRoute,     // not forwarded (no route, blackhole, forwarding off, ...)
};
struct FibResult {
	uint32_t ifindex = 0;
	array<uint8_t, 6> smac{};
	array<uint8_t, 6> dmac{};
};

namespace detail {
// Bulk copies between the packet and a byte array inside a map value (or the stack) go
// through the kernel's memcpy helpers. The array side is [off, off + len) with
// off <= OffMask and 1 <= len <= LenMask + 1, both masks 2^n - 1 whose sum stays inside the
// array, so the verifier can prove every copy in bounds whatever the run-time values.
// False for a range outside those limits; len == 0 is handled by the callers (nothing to do).
template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
NETEXT_INLINE bool copy_range(uint32_t &off, uint32_t &len) noexcept
{
	// In 64 bits: OffMask + LenMask in 32 would wrap and prove nothing.
	static_assert(((uint64_t{OffMask} + 1) & OffMask) == 0 &&
			      ((uint64_t{LenMask} + 1) & LenMask) == 0,
		      "copy masks must be 2^n - 1");
	static_assert(uint64_t{OffMask} + LenMask < N,
		      "OffMask + LenMask + 1 must fit in the array");
	uint32_t m = len - 1;
	if (off > OffMask || m > LenMask)
		return false;
	NETEXT_BOUNDED(off, OffMask);
	NETEXT_BOUNDED(m, LenMask);
	len = m + 1;
	return true;
}

#if !NETEXT_BACKEND_EBPF
// load_bytes/store_bytes on a linear buffer [data, data_end) (the host's frames, XDP on
// the native backend): the same limits as on eBPF, and the packet range checked against
// the buffer, as the kernel's helpers check it.
inline bool linear_in_packet(const uint8_t *data, const uint8_t *data_end, uint32_t off,
			     uint32_t len) noexcept
{
	auto size = static_cast<uint64_t>(data_end - data);
	return static_cast<uint64_t>(off) + len <= size;
}

template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
bool linear_load(const uint8_t *data, const uint8_t *data_end, uint32_t pkt_off,
		 array<uint8_t, N> &dst, uint32_t off, uint32_t len) noexcept
{
	if (len == 0)
		return true;
	if (!copy_range<OffMask, LenMask, N>(off, len) ||
	    !linear_in_packet(data, data_end, pkt_off, len))
		return false;
	__builtin_memcpy(detail::array_access::data(dst) + off, data + pkt_off, len);
	return true;
}

template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
bool linear_store(uint8_t *data, const uint8_t *data_end, uint32_t pkt_off,
		  const array<uint8_t, N> &src, uint32_t off, uint32_t len) noexcept
{
	if (len == 0)
		return true;
	if (!copy_range<OffMask, LenMask, N>(off, len) ||
	    !linear_in_packet(data, data_end, pkt_off, len))
		return false;
	__builtin_memcpy(data + pkt_off, detail::array_access::data(src) + off, len);
	return true;
}
#endif
} // namespace detail

#if !NETEXT_BACKEND_EBPF && !NETEXT_BACKEND_NATIVE
namespace host {
// The host runner's forwarding table (XdpContext::fib_lookup4/6): none unless a process
// installs one. family 4 or 6; dst 4 or 16 bytes in network order.
using FibLookup = Fib (*)(int family, const uint8_t *dst, uint32_t ingress_ifindex, FibResult &out);
inline FibLookup fib_lookup = nullptr;
} // namespace host
#endif

class XdpContext {
public:
	XdpContext(const XdpContext &) = delete;
	XdpContext &operator=(const XdpContext &) = delete;
	// User-provided, so not trivially copyable: no context made out of bytes (bit_cast).
	NETEXT_INLINE ~XdpContext() noexcept {} // NOLINT(modernize-use-equals-default)

private:
#if NETEXT_BACKEND_EBPF
	xdp_md *md_;

public:
	NETEXT_INLINE explicit XdpContext(xdp_md *md) noexcept : md_(md) {}
	// The kernel's context, for the SDK's own plumbing (NETEXT_XDP_FUNCTION).
	[[nodiscard]] NETEXT_INLINE xdp_md *raw() const noexcept
	{
		return md_;
	}

	[[nodiscard]] NETEXT_INLINE PacketView packet() const noexcept
	{
		return {reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(md_->data)),
			reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(md_->data_end))};
	}
	// Moves the packet start by delta bytes (negative: grow at the front). False, and no
	// change, if the result would leave the frame or be shorter than an Ethernet header.
	NETEXT_INLINE bool adjust_head(int32_t delta) noexcept
	{
		return ebpf::xdp_adjust_head(md_, delta) == 0;
	}
	// Moves the packet end by delta bytes (negative: shrink).
	NETEXT_INLINE bool adjust_tail(int32_t delta) noexcept
	{
		return ebpf::xdp_adjust_tail(md_, delta) == 0;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t ingress_ifindex() const noexcept
	{
		return md_->ingress_ifindex;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t rx_queue_index() const noexcept
	{
		return md_->rx_queue_index;
	}
	// Sends the packet out of another interface: return the result as the verdict.
	NETEXT_INLINE XdpAction redirect(uint32_t ifindex) noexcept
	{
		return static_cast<XdpAction>(ebpf::redirect(ifindex, 0));
	}
	// Looks up how the kernel would forward an IPv4 (addresses in network order) or IPv6
	// packet of tot_len bytes from src to dst arriving on this interface.
	NETEXT_INLINE Fib fib_lookup4(uint32_t src_raw, uint32_t dst_raw, uint16_t tot_len,
				      FibResult &out) noexcept
	{
		bpf_fib_lookup p{};
		p.family = 2; // AF_INET
		p.tot_len = tot_len;
		p.ifindex = md_->ingress_ifindex;
		p.ipv4_src = src_raw;
		p.ipv4_dst = dst_raw;
		return fib_result(p, out);
	}
	NETEXT_INLINE Fib fib_lookup6(const array<uint8_t, 16> &src, const array<uint8_t, 16> &dst,
				      uint16_t tot_len, FibResult &out) noexcept
	{
		bpf_fib_lookup p{};
		p.family = 10; // AF_INET6
		p.tot_len = tot_len;
		p.ifindex = md_->ingress_ifindex;
		__builtin_memcpy(p.ipv6_src, detail::array_access::data(src), 16);
		__builtin_memcpy(p.ipv6_dst, detail::array_access::data(dst), 16);
		return fib_result(p, out);
	}

private:
	NETEXT_INLINE Fib fib_result(bpf_fib_lookup &p, FibResult &out) noexcept
	{
		long rc = ebpf::fib_lookup(md_, &p, sizeof(p), 0);
		if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
			return Fib::NoNeighbour;
		if (rc != BPF_FIB_LKUP_RET_SUCCESS)
			return Fib::NoRoute;
		out.ifindex = p.ifindex;
		__builtin_memcpy(detail::array_access::data(out.smac), p.smac, 6);
		__builtin_memcpy(detail::array_access::data(out.dmac), p.dmac, 6);
		return Fib::Ok;
	}

public:
	// Copies len bytes of the packet at pkt_off into dst[off, off + len) (see
	// detail::copy_range for the limits). False, nothing copied, if out of range.
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
				      uint32_t len) noexcept
	{
		if (len == 0)
			return true;
		if (!detail::copy_range<OffMask, LenMask, N>(off, len))
			return false;
		return ebpf::xdp_load_bytes(md_, pkt_off, detail::array_access::data(dst) + off,
					    len) == 0;
	}
	// Copies src[off, off + len) into the packet at pkt_off.
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool store_bytes(uint32_t pkt_off, const array<uint8_t, N> &src, uint32_t off,
				       uint32_t len) noexcept
	{
		if (len == 0)
			return true;
		if (!detail::copy_range<OffMask, LenMask, N>(off, len))
			return false;
		return ebpf::xdp_store_bytes(md_, pkt_off, detail::array_access::data(src) + off,
					     len) == 0;
	}
#elif NETEXT_BACKEND_NATIVE
	native::Ctx *c_;

	[[nodiscard]] NETEXT_INLINE uint8_t *data() const noexcept
	{
		return static_cast<uint8_t *>(c_->data);
	}
	[[nodiscard]] NETEXT_INLINE uint8_t *data_end() const noexcept
	{
		return static_cast<uint8_t *>(c_->data_end);
	}

public:
	NETEXT_INLINE explicit XdpContext(native::Ctx *c) noexcept : c_(c) {}
	[[nodiscard]] NETEXT_INLINE native::Ctx *raw() const noexcept
	{
		return c_;
	}

	[[nodiscard]] NETEXT_INLINE PacketView packet() const noexcept
	{
		return {data(), data_end()};
	}
	// netext.ko applies bpf_xdp_adjust_head/tail's checks and updates the context.
	NETEXT_INLINE bool adjust_head(int32_t delta) noexcept
	{
		return netext_xdp_adjust_head(c_, delta) == 0;
	}
	NETEXT_INLINE bool adjust_tail(int32_t delta) noexcept
	{
		return netext_xdp_adjust_tail(c_, delta) == 0;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t ingress_ifindex() const noexcept
	{
		return c_->ifindex;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t rx_queue_index() const noexcept
	{
		return netext_xdp_rx_queue_index(c_);
	}
	// netext.ko records the target where the kernel's XDP redirect looks for it (as
	// bpf_redirect does) and returns XdpAction::Redirect; returning Redirect without
	// having called this faults (the program's fault verdict).
	NETEXT_INLINE XdpAction redirect(uint32_t ifindex) noexcept
	{
		return static_cast<XdpAction>(netext_xdp_redirect(c_, ifindex));
	}
	// bpf_fib_lookup's semantics, implemented by netext.ko (see netext_kmod.h for the
	// two cases the module cannot reproduce: IPv4 multipath routes, IPv4 PMTU exceptions).
	NETEXT_INLINE Fib fib_lookup4(uint32_t src_raw, uint32_t dst_raw, uint16_t tot_len,
				      FibResult &out) noexcept
	{
		native::Fib p{};
		p.family = 2; // AF_INET
		p.ifindex = c_->ifindex;
		p.tot_len = tot_len;
		p.src[0] = src_raw;
		p.dst[0] = dst_raw;
		return fib_result(p, out);
	}
	NETEXT_INLINE Fib fib_lookup6(const array<uint8_t, 16> &src, const array<uint8_t, 16> &dst,
				      uint16_t tot_len, FibResult &out) noexcept
	{
		native::Fib p{};
		p.family = 10; // AF_INET6
		p.ifindex = c_->ifindex;
		p.tot_len = tot_len;
		__builtin_memcpy(p.src, detail::array_access::data(src), 16);
		__builtin_memcpy(p.dst, detail::array_access::data(dst), 16);
		return fib_result(p, out);
	}

private:
	NETEXT_INLINE Fib fib_result(native::Fib &p, FibResult &out) noexcept
	{
		int rc = netext_xdp_fib_lookup(c_, &p);
		if (rc == native::kFibNoNeigh)
			return Fib::NoNeighbour;
		if (rc != native::kFibSuccess)
			return Fib::NoRoute;
		out.ifindex = p.ifindex;
		__builtin_memcpy(detail::array_access::data(out.smac), p.smac, 6);
		__builtin_memcpy(detail::array_access::data(out.dmac), p.dmac, 6);
		return Fib::Ok;
	}

public:
	// XDP frames reach netext.ko linear (multi-buffer frames are not supported yet).
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
				      uint32_t len) noexcept
	{
		return detail::linear_load<OffMask, LenMask, N>(data(), data_end(), pkt_off, dst,
								off, len);
	}
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool store_bytes(uint32_t pkt_off, const array<uint8_t, N> &src, uint32_t off,
				       uint32_t len) noexcept
	{
		return detail::linear_store<OffMask, LenMask, N>(data(), data_end(), pkt_off, src,
								 off, len);
	}
#else
	host::Frame *f_;

public:
	explicit XdpContext(host::Frame *f) noexcept : f_(f) {}

	[[nodiscard]] PacketView packet() const noexcept
	{
		return {f_->data, f_->data_end};
	}
	bool adjust_head(int32_t delta) noexcept
	{
		uint8_t *data = f_->data + delta;
		if (data < f_->hard_start + host::kXdpFrameReserve ||
		    data > f_->data_end - host::kEthHeaderLen)
			return false;
		f_->data = data;
		f_->data_meta = data;
		return true;
	}
	bool adjust_tail(int32_t delta) noexcept
	{
		uint8_t *end = f_->data_end + delta;
		if (end > f_->hard_end || end < f_->data + host::kEthHeaderLen)
			return false;
		f_->data_end = end;
		return true;
	}
	[[nodiscard]] uint32_t ingress_ifindex() const noexcept
	{
		return f_->ingress_ifindex;
	}
	[[nodiscard]] uint32_t rx_queue_index() const noexcept
	{
		return f_->rx_queue_index;
	}
	XdpAction redirect(uint32_t ifindex) noexcept
	{
		f_->redirect_ifindex = ifindex;
		return XdpAction::Redirect;
	}
	// The host runner has no forwarding table of its own: nothing is routed, unless the
	// process gave it one (host::fib_lookup, e.g. the DPDK runner: bench/dpdk).
	Fib fib_lookup4(uint32_t, uint32_t dst_raw, uint16_t, FibResult &out) noexcept
	{
		uint8_t dst[4];
		__builtin_memcpy(dst, &dst_raw, 4);
		return host::fib_lookup ? host::fib_lookup(4, dst, f_->ingress_ifindex, out)
					: Fib::NoRoute;
	}
	Fib fib_lookup6(const array<uint8_t, 16> &, const array<uint8_t, 16> &dst, uint16_t,
			FibResult &out) noexcept
	{
		return host::fib_lookup ? host::fib_lookup(6, detail::array_access::data(dst),
							   f_->ingress_ifindex, out)
					: Fib::NoRoute;
	}
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
			uint32_t len) noexcept
	{
		return detail::linear_load<OffMask, LenMask, N>(f_->data, f_->data_end, pkt_off,
								dst, off, len);
	}
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	bool store_bytes(uint32_t pkt_off, const array<uint8_t, N> &src, uint32_t off,
			 uint32_t len) noexcept
	{
		return detail::linear_store<OffMask, LenMask, N>(f_->data, f_->data_end, pkt_off,
								 src, off, len);
	}
#endif
};

namespace detail {
// A pull request travels as the program's verdict: kPullTag | len, a value no TC_ACT_*
// takes. The SDK's entry (NETEXT_TC) acts on it; see TcContext::pull.
inline constexpr uint32_t kPullTag = 0x40000000;
inline constexpr uint32_t kMaxPullLen = 0x00ffffff;
constexpr bool is_pull(int32_t verdict) noexcept
{
	return (static_cast<uint32_t>(verdict) & ~kMaxPullLen) == kPullTag;
}
constexpr uint32_t pull_len(int32_t verdict) noexcept
{
	return static_cast<uint32_t>(verdict) & kMaxPullLen;
}
struct TcEntry;
} // namespace detail

class TcContext {
	bool pulled_ = false;
	friend struct detail::TcEntry;

public:
	TcContext(const TcContext &) = delete;
	TcContext &operator=(const TcContext &) = delete;
	// User-provided, so not trivially copyable: no context made out of bytes (bit_cast).
	NETEXT_INLINE ~TcContext() noexcept {} // NOLINT(modernize-use-equals-default)

	// Asks for the first len bytes of the packet to be linear (visible through packet()),
	// as the program's verdict:
	//
	//     if (ctx.packet().size() < want && !ctx.pulled())
	//             return ctx.pull(want);
	//
	// NETEXT_TC's entry then pulls them (bpf_skb_pull_data; netext.ko's netext_skb_pull
	// natively) and runs the program again from the start, with a fresh context whose
	// pulled() is true: a pull may move the packet, and no view, Ref or reference made
	// before it survives it. The second run happens whether or not the pull succeeded
	// (packet() says what is linear). At most one pull per packet: a pull asked for in the
	// second run ends the program with TcAction::Ok (the packet goes on). Map updates the
	// first run made are not undone: ask for the pull before anything else.
	[[nodiscard("a pull is a verdict: return it")]] NETEXT_INLINE TcAction
	pull(uint32_t len) const noexcept
	{
		if (len > detail::kMaxPullLen)
			len = detail::kMaxPullLen; // fails like any pull past the packet's end
		return static_cast<TcAction>(detail::kPullTag | len);
	}
	// In the run after a pull request (see pull()).
	[[nodiscard]] NETEXT_INLINE bool pulled() const noexcept { return pulled_; }

private:
#if NETEXT_BACKEND_EBPF
	__sk_buff *skb_;

public:
	NETEXT_INLINE explicit TcContext(__sk_buff *skb, bool pulled = false) noexcept
		: pulled_(pulled), skb_(skb)
	{}
	[[nodiscard]] NETEXT_INLINE __sk_buff *raw() const noexcept
	{
		return skb_;
	}

	// The linear part of the packet (see pull()).
	[[nodiscard]] NETEXT_INLINE PacketView packet() const noexcept
	{
		return {reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(skb_->data)),
			reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(skb_->data_end))};
	}
	// Total packet length, linear part and fragments.
	[[nodiscard]] NETEXT_INLINE uint32_t len() const noexcept
	{
		return skb_->len;
	}
	// Sets the packet length to len bytes (grows with zeroes or trims).
	NETEXT_INLINE bool change_tail(uint32_t len) noexcept
	{
		return ebpf::skb_change_tail(skb_, len, 0) == 0;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t ifindex() const noexcept
	{
		return skb_->ifindex;
	}
	[[nodiscard]] NETEXT_INLINE uint32_t mark() const noexcept
	{
		return skb_->mark;
	}
	NETEXT_INLINE void set_mark(uint32_t m) noexcept
	{
		skb_->mark = m;
	}
	NETEXT_INLINE TcAction redirect(uint32_t ifindex, bool ingress = false) noexcept
	{
		return static_cast<TcAction>(ebpf::redirect(ifindex, ingress ? BPF_F_INGRESS : 0));
	}
	// Copies len bytes of the packet (linear part or not) at pkt_off into
	// dst[off, off + len) (see detail::copy_range). False, nothing copied, if out of range.
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
				      uint32_t len) noexcept
	{
		if (len == 0)
			return true;
		if (!detail::copy_range<OffMask, LenMask, N>(off, len))
			return false;
		return ebpf::skb_load_bytes(skb_, pkt_off, detail::array_access::data(dst) + off,
					    len) == 0;
	}
#elif NETEXT_BACKEND_NATIVE
	native::Ctx *c_;

public:
	NETEXT_INLINE explicit TcContext(native::Ctx *c, bool pulled = false) noexcept
		: pulled_(pulled), c_(c)
	{}
	[[nodiscard]] NETEXT_INLINE native::Ctx *raw() const noexcept
	{
		return c_;
	}

	// The linear part of the packet.
	[[nodiscard]] NETEXT_INLINE PacketView packet() const noexcept
	{
		return {static_cast<uint8_t *>(c_->data), static_cast<uint8_t *>(c_->data_end)};
	}
	[[nodiscard]] NETEXT_INLINE uint32_t len() const noexcept
	{
		return netext_skb_len(c_);
	}
	[[nodiscard]] NETEXT_INLINE uint32_t ifindex() const noexcept
	{
		return netext_skb_ifindex(c_);
	}
	[[nodiscard]] NETEXT_INLINE uint32_t mark() const noexcept
	{
		return netext_skb_mark(c_);
	}
	NETEXT_INLINE void set_mark(uint32_t m) noexcept
	{
		netext_skb_set_mark(c_, m);
	}
	// Not in netext.ko yet: apps using them do not build natively.
	bool change_tail(uint32_t len) noexcept = delete;
	TcAction redirect(uint32_t ifindex, bool ingress = false) noexcept = delete;
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	NETEXT_INLINE bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
				      uint32_t len) noexcept
	{
		if (len == 0)
			return true;
		if (!detail::copy_range<OffMask, LenMask, N>(off, len))
			return false;
		return netext_skb_load_bytes(c_, pkt_off, detail::array_access::data(dst) + off,
					     len) == 0;
	}
#else
	host::Frame *f_;

public:
	explicit TcContext(host::Frame *f, bool pulled = false) noexcept : pulled_(pulled), f_(f) {}

	[[nodiscard]] PacketView packet() const noexcept
	{
		return {f_->data, f_->data_end};
	}
	[[nodiscard]] uint32_t len() const noexcept
	{
		return static_cast<uint32_t>(f_->data_end - f_->data);
	}
	bool change_tail(uint32_t len) noexcept
	{
		if (len < host::kEthHeaderLen || f_->data + len > f_->hard_end)
			return false;
		uint8_t *end = f_->data + len;
		for (uint8_t *p = f_->data_end; p < end; p++)
			*p = 0;
		f_->data_end = end;
		return true;
	}
	[[nodiscard]] uint32_t ifindex() const noexcept
	{
		return f_->ingress_ifindex;
	}
	[[nodiscard]] uint32_t mark() const noexcept
	{
		return f_->mark;
	}
	void set_mark(uint32_t m) noexcept
	{
		f_->mark = m;
	}
	TcAction redirect(uint32_t ifindex, bool /*ingress*/ = false) noexcept
	{
		f_->redirect_ifindex = ifindex;
		return TcAction::Redirect;
	}
	template <uint32_t OffMask, uint32_t LenMask, std::size_t N>
	bool load_bytes(uint32_t pkt_off, array<uint8_t, N> &dst, uint32_t off,
			uint32_t len) noexcept
	{
		return detail::linear_load<OffMask, LenMask, N>(f_->data, f_->data_end, pkt_off,
								dst, off, len);
	}
#endif
};

namespace detail {
// NETEXT_TC's entry: runs Body, and once more after the pull it asks for (see
// TcContext::pull). Body is a function the SDK declares (on eBPF a global function the
// verifier checks once, however often it is called here).
struct TcEntry {
	template <class Raw, class Run>
	NETEXT_INLINE static int run(Raw *raw, Run body) noexcept
	{
		int verdict = body(raw, false);
		if (!is_pull(verdict))
			return verdict;
		pull(raw, pull_len(verdict));
		verdict = body(raw, true);
		return is_pull(verdict) ? static_cast<int>(TcAction::Ok) : verdict;
	}
#if NETEXT_BACKEND_HOST
	static host::Frame *frame(const TcContext &ctx) noexcept
	{
		return ctx.f_;
	}
#endif

private:
#if NETEXT_BACKEND_EBPF
	NETEXT_INLINE static void pull(__sk_buff *skb, uint32_t len) noexcept
	{
		ebpf::skb_pull_data(skb, len);
	}
#elif NETEXT_BACKEND_NATIVE
	NETEXT_INLINE static void pull(native::Ctx *c, uint32_t len) noexcept
	{
		netext_skb_pull(c, len); // moves the data pointers in *c
	}
#else
	// The host's frames are linear already.
	static void pull(host::Frame * /*f*/, uint32_t /*len*/) noexcept {}
#endif
};
} // namespace detail

} // namespace netext