// An eBPF object's .rodata (its constants, set before it loads): where a variable is, and
// the SDK's tick length. Header-only on libbpf alone, so that the static guest test
// binaries open objects as the loader does.
#pragma once

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>
#include <vector>

namespace netext::loader {

// The object's .rodata map, or nullptr.
inline bpf_map *rodata_map(bpf_object *obj)
{
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		std::string_view name = bpf_map__name(m);
		if (bpf_map__is_internal(m) && name.ends_with(".rodata"))
			return m;
	}
	return nullptr;
}

// Offset and size of a .rodata variable, from BTF: false if there is none of that name.
inline bool rodata_var(bpf_object *obj, std::string_view name, uint32_t &off, uint32_t &size)
{
	const btf *b = bpf_object__btf(obj);
	if (!b)
		return false;
	int sec = btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC);
	if (sec < 0)
		return false;
	const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(sec));
	const btf_var_secinfo *vs = btf_var_secinfos(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++, vs++) {
		const btf_type *var = btf__type_by_id(b, vs->type);
		if (name == btf__name_by_offset(b, var->name_off)) {
			off = vs->offset;
			size = vs->size;
			return true;
		}
	}
	return false;
}

// A .rodata variable of at most 8 bytes as the object will load it: found by name, read,
// written (little-endian, the host's order and eBPF's). A write replaces the map's
// initial value: find the variable again to read what was written.
struct RodataVar {
	bpf_map *map = nullptr;
	const uint8_t *data = nullptr; // the map's initial value
	std::size_t data_size = 0;
	uint32_t off = 0, size = 0;

	uint64_t read() const
	{
		uint64_t v = 0;
		std::memcpy(&v, data + off, size);
		return v;
	}
	// The low `size` bytes of v; false if libbpf refuses (the object is loaded).
	bool write(uint64_t v) const
	{
		std::vector<uint8_t> bytes(data, data + data_size);
		std::memcpy(bytes.data() + off, &v, size);
		return bpf_map__set_initial_value(map, bytes.data(), bytes.size()) == 0;
	}
};

// Nothing if the object has no .rodata variable of that name, or it is longer than 8 bytes.
inline std::optional<RodataVar> find_rodata_var(bpf_object *obj, std::string_view name)
{
	RodataVar v;
	v.map = rodata_map(obj);
	if (!v.map || !rodata_var(obj, name, v.off, v.size) || v.size > sizeof(uint64_t))
		return std::nullopt;
	v.data = static_cast<const uint8_t *>(bpf_map__initial_value(v.map, &v.data_size));
	if (!v.data || v.off + v.size > v.data_size)
		return std::nullopt;
	return v;
}

// The SDK's tick_ns() (dataplane runtime.hpp) is .rodata's netext_tick_ns: one tick of the
// kernel's coarse clock (its resolution is a jiffy), written here before the object loads.
// An object without the variable (not built with the SDK), or a clock that does not say,
// keeps what the object holds (1 ms, so that its waits only err long).
inline void set_tick_ns(bpf_object *obj)
{
	timespec res{};
	if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) != 0 || res.tv_sec != 0 || res.tv_nsec <= 0)
		return;
	if (std::optional<RodataVar> v = find_rodata_var(obj, "netext_tick_ns");
	    v && v->size == sizeof(uint64_t))
		v->write(static_cast<uint64_t>(res.tv_nsec));
}

} // namespace netext::loader
