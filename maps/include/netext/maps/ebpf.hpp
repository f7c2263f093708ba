// eBPF maps: BTF-defined map declarations (libbpf's layout) plus typed handles.
//
// LLVM's BTF emitter cannot describe C++ classes with member functions (clang 16
// crashes, or emits a typedef to void that the kernel rejects). So the variable libbpf
// sees in section .maps has a method-free layout type whose key and value appear in BTF
// as scalars or as byte arrays of the exact size, and the name user code calls methods on
// is a separate, empty constexpr handle that is never emitted. The layout's C++ template
// name is rewritten into a valid BTF name by the build (toolchain/btf_sanitize.cpp).
#pragma once

#include <type_traits>

#include <netext/ebpf/helpers.hpp>

namespace netext {

namespace detail {
// How a key or value type is spelled in BTF: scalars as themselves (array maps need a
// 32-bit integer key), anything else as its bytes.
template <class T>
struct btf_repr {
	using type = uint8_t[sizeof(T)];
};
template <class T>
	requires std::is_arithmetic_v<T>
struct btf_repr<T> {
	using type = T;
};
template <class T>
	requires std::is_enum_v<T>
struct btf_repr<T> {
	using type = std::underlying_type_t<T>;
};
} // namespace detail

template <MapKind Kind, class K, class V, uint32_t N, uint32_t Flags>
struct MapLayout {
	int (*type)[static_cast<int>(Kind)];
	int (*max_entries)[N];
	typename detail::btf_repr<K>::type *key;
	typename detail::btf_repr<V>::type *value;
	int (*map_flags)[Flags];
};

// The map's type: what NETEXT_MAP declares. Its operations live in MapRef.
template <MapKind Kind, Wire K, Wire V, uint32_t N, uint32_t Flags = 0>
	requires(N > 0 && detail::map_types_ok<Kind, K, V, N>())
struct Map {
	using Layout = MapLayout<Kind, K, V, N, Flags>;
	using key_type = K;
	using value_type = V;
};

// The handle NETEXT_MAP names: not copyable nor assignable.
template <class M, typename M::Layout &Def>
struct MapRef {
	using K = typename M::key_type;
	using V = typename M::value_type;

	constexpr MapRef() noexcept = default;
	MapRef(const MapRef &) = delete;
	MapRef &operator=(const MapRef &) = delete;

	// For per-CPU maps: this CPU's value.
	NETEXT_INLINE static Ref<V> lookup(const K &k) noexcept
	{
		return Ref<V>(static_cast<V *>(ebpf::map_lookup_elem(&Def, &k)));
	}
	NETEXT_INLINE static int update(const K &k, const V &v, Update f = Update::Any) noexcept
	{
		return static_cast<int>(
			ebpf::map_update_elem(&Def, &k, &v, static_cast<uint64_t>(f)));
	}
	NETEXT_INLINE static int erase(const K &k) noexcept
	{
		return static_cast<int>(ebpf::map_delete_elem(&Def, &k));
	}
};

static_assert(static_cast<int>(MapKind::LruPerCpuHash) == BPF_MAP_TYPE_LRU_PERCPU_HASH);
static_assert(static_cast<int>(MapKind::RingBuf) == BPF_MAP_TYPE_RINGBUF);

template <uint32_t Size>
struct RingBufLayout {
	int (*type)[BPF_MAP_TYPE_RINGBUF];
	int (*max_entries)[Size];
};

// A ring buffer to user space; Size is in bytes (a power of two, multiple of the page).
template <uint32_t Size>
struct RingBuf {
	static_assert(Size >= 4096 && (Size & (uint64_t{Size} - 1)) == 0,
		      "a ring buffer's size is a power of two, at least a page");
	using Layout = RingBufLayout<Size>;
};

template <uint32_t Size, RingBufLayout<Size> &Def>
struct MapRef<RingBuf<Size>, Def> {
	constexpr MapRef() noexcept = default;
	MapRef(const MapRef &) = delete;
	MapRef &operator=(const MapRef &) = delete;

	template <Wire T>
	NETEXT_INLINE static int output(const T &record) noexcept
	{
		// in 64 bits: the size goes to the kernel as a u64, and must fit the buffer
		static_assert(uint64_t{sizeof(T)} <= Size,
			      "a ring buffer record is at most its size");
		return static_cast<int>(
			ebpf::helper<long(void *, const void *, uint64_t, uint64_t)>(
				BPF_FUNC_ringbuf_output)(&Def, &record, sizeof(T), 0));
	}
};

} // namespace netext

// The layout variable's symbol and BTF name are exactly `name` (the asm label), which is
// the map's name in libbpf, bpftool and pins; `name` in C++ is the handle.
#define NETEXT_MAP(name, ...)                                                                      \
	NETEXT_MAP_TYPE_CHECK_(__VA_ARGS__);                                                       \
	__attribute__((section(".maps"), used))                                                    \
	__VA_ARGS__::Layout netext_map_def_##name __asm__(#name);                                  \
	[[maybe_unused]] static constexpr ::netext::MapRef<__VA_ARGS__, netext_map_def_##name>     \
		name                                                                               \
	{}
