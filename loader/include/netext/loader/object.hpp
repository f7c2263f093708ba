// BpfObject: one eBPF object opened with libbpf, from embedded bytes or a file, loaded
// into the kernel. Owns the object; closing it unloads programs and maps not pinned or
// attached elsewhere.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct bpf_object;
struct bpf_program;
struct bpf_map;

namespace netext::loader {

class BpfObject {
public:
	// Throws netext::Error naming the app and what to do.
	static BpfObject open_embedded(std::string_view app);
	static BpfObject open_file(const std::string &path);

	BpfObject(BpfObject &&o) noexcept;
	BpfObject &operator=(BpfObject &&o) noexcept;
	BpfObject(const BpfObject &) = delete;
	BpfObject &operator=(const BpfObject &) = delete;
	~BpfObject();

	// Loads every program and creates every map; throws netext::Error with libbpf's and
	// the verifier's messages on failure.
	void load();

	[[nodiscard]] bpf_object *get() const noexcept { return obj_; }
	[[nodiscard]] const std::string &name() const noexcept { return name_; }
	// Throw if absent.
	[[nodiscard]] bpf_program *program(std::string_view name) const;
	[[nodiscard]] int program_fd(std::string_view name) const;
	[[nodiscard]] bpf_map *map(std::string_view name) const;
	[[nodiscard]] int map_fd(std::string_view name) const;
	[[nodiscard]] std::vector<std::string> program_names() const;
	// Did the kernel accept the object's BTF (needed by spin locks, libxdp, bpftool)?
	[[nodiscard]] bool btf_loaded() const;
	// What libbpf printed while opening and loading (warnings included).
	[[nodiscard]] const std::string &log() const noexcept { return log_; }

private:
	BpfObject(bpf_object *obj, std::string name, std::string log);
	bpf_object *obj_ = nullptr;
	std::string name_;
	std::string log_;
};

// Per-CPU array/hash values: one value per possible CPU, as the syscall returns them.
// Reads key's value of a map; returns false if absent. For per-CPU maps, `out` holds
// value_size * possible_cpus bytes.
bool map_lookup(int map_fd, std::span<const uint8_t> key, std::vector<uint8_t> &out);
int possible_cpus();
// The first `fields` u64 fields of key's value, each summed over CPUs for per-CPU maps
// (the layout of stats counters). All zero if the key is absent.
std::vector<uint64_t> map_u64_sums(int map_fd, std::span<const uint8_t> key, std::size_t fields);
// The same for an array index.
std::vector<uint64_t> map_u64_sums(int map_fd, uint32_t index, std::size_t fields);

struct TestRun {
	uint32_t retval = 0;
	std::vector<uint8_t> data;
	uint32_t duration_ns = 0; // average per repetition, as the kernel measures it
};

// BPF_PROG_TEST_RUN: runs prog_fd on a copy of packet, repeat times.
TestRun test_run(int prog_fd, std::span<const uint8_t> packet, uint32_t repeat = 1);

// The kernel's view of a loaded program: translated instruction count and JIT size.
struct ProgramInfo {
	uint32_t xlated_insns = 0;
	uint32_t jited_bytes = 0;
	uint32_t btf_id = 0;
	uint32_t verified_insns = 0; // instructions the verifier processed (kernel >= 5.16)
};
ProgramInfo program_info(int prog_fd);

} // namespace netext::loader
