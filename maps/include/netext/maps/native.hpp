// Native maps: the same BPF maps as on eBPF (created by the loader with libbpf from the
// app's eBPF object), bound to the app through /dev/netext. NETEXT_MAP emits a descriptor
// (netext_map_desc_<name>: kind, sizes, max entries, flags) that the module glue hands to
// netext.ko at registration; netext.ko checks a bound map against it, and the operations
// call the map's own ops there. The app does not run until every map is bound.
#pragma once

#include <netext/native/runtime.hpp>

namespace netext {

template <MapKind Kind, Wire K, Wire V, uint32_t N, uint32_t Flags = 0>
	requires(N > 0 && detail::map_types_ok<Kind, K, V, N>())
struct Map {
	using key_type = K;
	using value_type = V;

	// The sizes come from the C++ types the program uses: netext.ko checks the bound BPF
	// map's key and value sizes against them.
	static constexpr native::MapDesc desc(const char *name) noexcept
	{
		return {name,
			static_cast<uint32_t>(Kind),
			static_cast<uint32_t>(sizeof(K)),
			static_cast<uint32_t>(sizeof(V)),
			N,
			Flags,
			nullptr};
	}
};

// The handle NETEXT_MAP names: not copyable nor assignable, so a map is reached only
// through the name its declaration gave it.
template <class M, native::MapDesc &Desc>
struct MapRef {
	using K = typename M::key_type;
	using V = typename M::value_type;

	constexpr MapRef() noexcept = default;
	MapRef(const MapRef &) = delete;
	MapRef &operator=(const MapRef &) = delete;

	// For per-CPU maps: this CPU's value.
	NETEXT_INLINE static Ref<V> lookup(const K &k) noexcept
	{
		return Ref<V>(static_cast<V *>(netext_map_lookup(&Desc, &k)));
	}
	NETEXT_INLINE static int update(const K &k, const V &v, Update f = Update::Any) noexcept
	{
		return static_cast<int>(netext_map_update(&Desc, &k, &v, static_cast<uint64_t>(f)));
	}
	NETEXT_INLINE static int erase(const K &k) noexcept
	{
		return static_cast<int>(netext_map_delete(&Desc, &k));
	}
};

// RingBuf has no native implementation yet: apps using it do not build natively.

} // namespace netext

// The descriptor (netext_map_desc_<name>, an SDK-internal name netext-check refuses in an
// app) stays writable: netext.ko records the bound map in it.
#define NETEXT_MAP(name, ...)                                                                      \
	NETEXT_MAP_TYPE_CHECK_(__VA_ARGS__);                                                       \
	extern "C" ::netext::native::MapDesc netext_map_desc_##name;                               \
	[[gnu::used]] constinit ::netext::native::MapDesc netext_map_desc_##name =                 \
		__VA_ARGS__::desc(#name);                                                          \
	[[maybe_unused]] static constexpr ::netext::MapRef<__VA_ARGS__, netext_map_desc_##name>    \
		name                                                                               \
	{}
