// Typed maps: one API on every backend.
//
//   NETEXT_MAP(counters, netext::PerCpuArray<Counters, 8>);
//   if (auto c = counters.lookup(i)) c->packets++;
//
// Keys and values must be Wire (NoRef, and no padding: a value copied in from the stack
// carries no stale stack bytes; spell padding as a field). lookup() returns a checked Ref (empty
// when absent); update() and erase() return 0 or a negative errno, as the kernel's helpers do. On
// eBPF these are real BPF maps (BTF-defined, created by libbpf); natively the same BPF maps, bound
// to the app module through /dev/netext; on the host an in-memory implementation with the same
// semantics and error codes.
#pragma once

#include <cstdint>
#include <type_traits>

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

// The kernel's limit on a hash map's key (MAX_BPF_STACK: a key comes from the stack).
inline constexpr uint64_t kMaxKeySize = 512;

namespace detail {
// What every backend's Map checks of its key and value types, in 64 bits.
template <MapKind Kind, class K, class V, uint64_t N>
consteval bool map_types_ok()
{
	static_assert(!is_array(Kind) || sizeof(K) == 4, "array maps have 32-bit keys");
	static_assert(uint64_t{sizeof(K)} <= kMaxKeySize, "map keys are at most 512 bytes");
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	static_assert(sizeof(V) > 0 && uint64_t{sizeof(V)} <= 0xffffffffu,
		      "a map value's size must fit the kernel's 32-bit value_size");
	return true;
}
} // namespace detail

} // namespace netext

#if NETEXT_BACKEND_EBPF
#include <netext/maps/ebpf.hpp>
#elif NETEXT_BACKEND_NATIVE
#include <netext/maps/native.hpp>
#else
#include <netext/maps/host.hpp>
#endif

namespace netext {

namespace detail {
// The map types NETEXT_MAP accepts: the SDK's own templates, exactly (not a class derived
// from one, which could redeclare key_type or value_type and so make lookups return
// another type than the bound map holds). Only SDK headers specialise it (netext-check
// refuses an app's specialisation of any netext template).
template <class M>
struct sdk_map : std::false_type {};
template <MapKind Kind, class K, class V, uint32_t N, uint32_t Flags>
struct sdk_map<Map<Kind, K, V, N, Flags>> : std::true_type {};
#if !NETEXT_BACKEND_NATIVE
template <uint32_t Size>
struct sdk_map<RingBuf<Size>> : std::true_type {};
#endif
} // namespace detail

template <class M>
concept SdkMap = detail::sdk_map<M>::value;

// Expanded by each backend's NETEXT_MAP before anything else it declares.
#define NETEXT_MAP_TYPE_CHECK_(...)                                                                \
	static_assert(                                                                             \
		::netext::SdkMap<__VA_ARGS__>,                                                     \
		"NETEXT_MAP takes one of the SDK's map types (netext::Array, PerCpuArray, "        \
		"Hash, PerCpuHash, LruHash, LruPerCpuHash, RingBuf), not a type of the app's "     \
		"own")

template <Wire V, uint32_t N>
using Array = Map<MapKind::Array, uint32_t, V, N>;
template <Wire V, uint32_t N>
using PerCpuArray = Map<MapKind::PerCpuArray, uint32_t, V, N>;
template <Wire K, Wire V, uint32_t N>
using Hash = Map<MapKind::Hash, K, V, N>;
template <Wire K, Wire V, uint32_t N>
using PerCpuHash = Map<MapKind::PerCpuHash, K, V, N>;
template <Wire K, Wire V, uint32_t N>
using LruHash = Map<MapKind::LruHash, K, V, N>;
template <Wire K, Wire V, uint32_t N>
using LruPerCpuHash = Map<MapKind::LruPerCpuHash, K, V, N>;

} // namespace netext
