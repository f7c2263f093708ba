// Typed declarations of the kernel's BPF helpers, in C++.
//
// libbpf's bpf_helper_defs.h is C only (its `(void *) 1` initialisers do not convert in
// C++). A helper is "called" through its numeric id cast to the right function type;
// clang emits `call <id>` for it. Only the SDK includes this header.
#pragma once

#if !defined(__bpf__)
#error "netext/ebpf/helpers.hpp is for the eBPF backend only"
#endif

#include <cstdint>
#include <linux/bpf.h>

namespace netext::ebpf {

template <class Fn>
NETEXT_INLINE Fn *helper(bpf_func_id id) noexcept
{
	return reinterpret_cast<Fn *>(static_cast<long>(id));
}

NETEXT_INLINE void *map_lookup_elem(void *map, const void *key) noexcept
{
	return helper<void *(void *, const void *)>(BPF_FUNC_map_lookup_elem)(map, key);
}
NETEXT_INLINE long map_update_elem(void *map, const void *key, const void *value,
				   uint64_t flags) noexcept
{
	return helper<long(void *, const void *, const void *, uint64_t)>(BPF_FUNC_map_update_elem)(
		map, key, value, flags);
}
NETEXT_INLINE long map_delete_elem(void *map, const void *key) noexcept
{
	return helper<long(void *, const void *)>(BPF_FUNC_map_delete_elem)(map, key);
}
NETEXT_INLINE void *map_lookup_percpu_elem(void *map, const void *key, uint32_t cpu) noexcept
{
	return helper<void *(void *, const void *, uint32_t)>(BPF_FUNC_map_lookup_percpu_elem)(
		map, key, cpu);
}
NETEXT_INLINE uint64_t ktime_get_ns() noexcept
{
	return helper<uint64_t()>(BPF_FUNC_ktime_get_ns)();
}
// Inlined by the verifier on 64-bit JITs (a load of jiffies_64): no call.
NETEXT_INLINE uint64_t jiffies64() noexcept
{
	return helper<uint64_t()>(BPF_FUNC_jiffies64)();
}

NETEXT_INLINE uint64_t ktime_get_coarse_ns() noexcept
{
	return helper<uint64_t()>(BPF_FUNC_ktime_get_coarse_ns)();
}
NETEXT_INLINE uint32_t get_prandom_u32() noexcept
{
	return helper<uint32_t()>(BPF_FUNC_get_prandom_u32)();
}
NETEXT_INLINE uint32_t get_smp_processor_id() noexcept
{
	return helper<uint32_t()>(BPF_FUNC_get_smp_processor_id)();
}
NETEXT_INLINE long xdp_load_bytes(xdp_md *ctx, uint32_t off, void *buf, uint32_t len) noexcept
{
	return helper<long(xdp_md *, uint32_t, void *, uint32_t)>(BPF_FUNC_xdp_load_bytes)(
		ctx, off, buf, len);
}
NETEXT_INLINE long xdp_store_bytes(xdp_md *ctx, uint32_t off, const void *buf,
				   uint32_t len) noexcept
{
	return helper<long(xdp_md *, uint32_t, const void *, uint32_t)>(BPF_FUNC_xdp_store_bytes)(
		ctx, off, buf, len);
}
NETEXT_INLINE long skb_load_bytes(__sk_buff *skb, uint32_t off, void *buf, uint32_t len) noexcept
{
	return helper<long(__sk_buff *, uint32_t, void *, uint32_t)>(BPF_FUNC_skb_load_bytes)(
		skb, off, buf, len);
}
NETEXT_INLINE long xdp_adjust_head(xdp_md *ctx, int delta) noexcept
{
	return helper<long(xdp_md *, int)>(BPF_FUNC_xdp_adjust_head)(ctx, delta);
}
NETEXT_INLINE long xdp_adjust_tail(xdp_md *ctx, int delta) noexcept
{
	return helper<long(xdp_md *, int)>(BPF_FUNC_xdp_adjust_tail)(ctx, delta);
}
NETEXT_INLINE long xdp_adjust_meta(xdp_md *ctx, int delta) noexcept
{
	return helper<long(xdp_md *, int)>(BPF_FUNC_xdp_adjust_meta)(ctx, delta);
}
NETEXT_INLINE long redirect(uint32_t ifindex, uint64_t flags) noexcept
{
	return helper<long(uint32_t, uint64_t)>(BPF_FUNC_redirect)(ifindex, flags);
}
NETEXT_INLINE long fib_lookup(void *ctx, bpf_fib_lookup *params, int size, uint32_t flags) noexcept
{
	return helper<long(void *, bpf_fib_lookup *, int, uint32_t)>(BPF_FUNC_fib_lookup)(
		ctx, params, size, flags);
}
NETEXT_INLINE long redirect_map(void *map, uint64_t key, uint64_t flags) noexcept
{
	return helper<long(void *, uint64_t, uint64_t)>(BPF_FUNC_redirect_map)(map, key, flags);
}
NETEXT_INLINE long skb_pull_data(__sk_buff *skb, uint32_t len) noexcept
{
	return helper<long(__sk_buff *, uint32_t)>(BPF_FUNC_skb_pull_data)(skb, len);
}
NETEXT_INLINE long skb_change_tail(__sk_buff *skb, uint32_t len, uint64_t flags) noexcept
{
	return helper<long(__sk_buff *, uint32_t, uint64_t)>(BPF_FUNC_skb_change_tail)(skb, len,
										       flags);
}
NETEXT_INLINE long skb_change_head(__sk_buff *skb, uint32_t len, uint64_t flags) noexcept
{
	return helper<long(__sk_buff *, uint32_t, uint64_t)>(BPF_FUNC_skb_change_head)(skb, len,
										       flags);
}
NETEXT_INLINE long skb_adjust_room(__sk_buff *skb, int32_t len_diff, uint32_t mode,
				   uint64_t flags) noexcept
{
	return helper<long(__sk_buff *, int32_t, uint32_t, uint64_t)>(BPF_FUNC_skb_adjust_room)(
		skb, len_diff, mode, flags);
}
// One's-complement sum of `to` (size a multiple of 4) added to seed, in the CPU's byte
// order (see csum::partial).
NETEXT_INLINE int64_t csum_diff(const void *from, uint32_t from_size, const void *to,
				uint32_t to_size, uint32_t seed) noexcept
{
	return helper<int64_t(const void *, uint32_t, const void *, uint32_t, uint32_t)>(
		BPF_FUNC_csum_diff)(from, from_size, to, to_size, seed);
}
// Calls fn(i, ctx) for i in [0, n) until it returns 1; verified once, not per iteration.
NETEXT_INLINE long loop(uint32_t n, long (*fn)(uint64_t, void *), void *ctx) noexcept
{
	return helper<long(uint32_t, long (*)(uint64_t, void *), void *, uint64_t)>(BPF_FUNC_loop)(
		n, fn, ctx, 0);
}
NETEXT_INLINE long spin_lock(bpf_spin_lock *lock) noexcept
{
	return helper<long(bpf_spin_lock *)>(BPF_FUNC_spin_lock)(lock);
}
NETEXT_INLINE long spin_unlock(bpf_spin_lock *lock) noexcept
{
	return helper<long(bpf_spin_lock *)>(BPF_FUNC_spin_unlock)(lock);
}

} // namespace netext::ebpf
