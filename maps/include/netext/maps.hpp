// Typed maps: one API on every backend.
//
//   NETEXT_MAP(counters, netext::PerCpuArray<Counters, 8>);
//   if (auto c = counters.lookup(i)) c->packets++;
//
// Keys and values must be NoRef. lookup() returns a checked Ref (empty when absent);
// update() and erase() return 0 or a negative errno, as the kernel's helpers do.
// On eBPF these are real BPF maps (BTF-defined, created by libbpf); natively the same BPF
// maps, bound to the app module through /dev/netext; on the host an
// in-memory implementation with the same semantics and error codes.
#pragma once

#include <cstdint>

#include <netext/backend.hpp>
#include <netext/noref.hpp>
#include <netext/packet.hpp>

namespace netext {

// Values are the kernel's BPF_MAP_TYPE_* numbers.
enum class MapKind : uint32_t {
	Hash = 1,
	Array = 2,
	PerCpuHash = 5,
	PerCpuArray = 6,
	LruHash = 9,
	LruPerCpuHash = 10,
	RingBuf = 27,
};

// The kernel's BPF_ANY / BPF_NOEXIST / BPF_EXIST.
enum class Update : uint64_t { Any = 0, NoExist = 1, Exist = 2 };

constexpr bool is_per_cpu(MapKind k) noexcept
{
	return k == MapKind::PerCpuArray || k == MapKind::PerCpuHash || k == MapKind::LruPerCpuHash;
}
constexpr bool is_array(MapKind k) noexcept
{
	return k == MapKind::Array || k == MapKind::PerCpuArray;
}
constexpr bool is_lru(MapKind k) noexcept
{
	return k == MapKind::LruHash || k == MapKind::LruPerCpuHash;
}

} // namespace netext

#if NETEXT_BACKEND_EBPF
#include <netext/maps/ebpf.hpp>
#elif NETEXT_BACKEND_NATIVE
#include <netext/maps/native.hpp>
#else
#include <netext/maps/host.hpp>
#endif

namespace netext {

template <NoRef V, uint32_t N>
using Array = Map<MapKind::Array, uint32_t, V, N>;
template <NoRef V, uint32_t N>
using PerCpuArray = Map<MapKind::PerCpuArray, uint32_t, V, N>;
template <NoRef K, NoRef V, uint32_t N>
using Hash = Map<MapKind::Hash, K, V, N>;
template <NoRef K, NoRef V, uint32_t N>
using PerCpuHash = Map<MapKind::PerCpuHash, K, V, N>;
template <NoRef K, NoRef V, uint32_t N>
using LruHash = Map<MapKind::LruHash, K, V, N>;
template <NoRef K, NoRef V, uint32_t N>
using LruPerCpuHash = Map<MapKind::LruPerCpuHash, K, V, N>;

} // namespace netext
