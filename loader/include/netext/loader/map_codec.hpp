// Map keys and values as text: what `netext map` prints and parses. A declared type
// (the app's descriptor, or the map's BTF) is shown as its fields ("addr=.. port=.."),
// anything else as hex; per-CPU values are summed field by field.
#pragma once

#include <bpf/bpf.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <netext/loader/app.hpp>

struct btf;

namespace netext::loader {

// `size` bytes at `p` as "name=value ..." for the fields, or "hex:<bytes>" without any.
std::string format_fields(const std::vector<Field> &fields, const uint8_t *p, std::size_t size);

// Parses "hex:<2*size digits>" (any map), a number (a one-field integer type), or
// "name=value,name=value" (integer fields) into `size` bytes. `what` ("key", "value")
// names it in the error. Throws netext::Error (usage) naming the text and the forms.
std::vector<uint8_t> parse_typed(const std::vector<Field> &fields, const std::string &text,
				 std::size_t size, const char *what);

// The fields of a BTF type: an integer, or a struct's byte-aligned integer members;
// empty for anything else.
std::vector<Field> fields_from_btf(const btf *b, uint32_t type_id);

// What the syscalls need to know about a map's values.
struct MapInfo {
	bpf_map_info info{};
	bool per_cpu = false;
	std::size_t cpus = 1;
	std::size_t stride = 0; // bytes per CPU value in syscall buffers
};
// Throws netext::Error if the map cannot be inspected.
MapInfo map_info(int fd);

// One value: per-CPU values summed field by field (u32 and u64 fields; the rest is CPU
// 0's), or the single value of a plain map. `raw` holds cpus * stride bytes.
std::vector<uint8_t> summed(const MapInfo &m, const std::vector<Field> &fields,
			    const std::vector<uint8_t> &raw);

} // namespace netext::loader
