#include <netext/loader/embedded.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>
#include <netext/loader/rodata.hpp>

#include "lib_log.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace netext::loader {

namespace {

std::string errno_text(int err)
{
	return std::strerror(err < 0 ? -err : err);
}

} // namespace

BpfObject::BpfObject(bpf_object *obj, std::string name, std::string log)
	: obj_(obj), name_(std::move(name)), log_(std::move(log))
{}

BpfObject::BpfObject(BpfObject &&o) noexcept
	: obj_(o.obj_), name_(std::move(o.name_)), log_(std::move(o.log_))
{
	o.obj_ = nullptr;
}

BpfObject &BpfObject::operator=(BpfObject &&o) noexcept
{
	if (this != &o) {
		bpf_object__close(obj_);
		obj_ = o.obj_;
		name_ = std::move(o.name_);
		log_ = std::move(o.log_);
		o.obj_ = nullptr;
	}
	return *this;
}

BpfObject::~BpfObject()
{
	bpf_object__close(obj_);
}

BpfObject BpfObject::open_embedded(std::string_view app)
{
	const EmbeddedObject *e = find_embedded(app);
	if (!e) {
		std::string known;
		for (const EmbeddedObject &o : embedded_objects())
			known += std::string(known.empty() ? "" : ", ") + o.app;
		throw Error("unknown app '" + std::string(app) + "' (built-in apps: " + known +
				    "; see 'netext apps')",
			    ExitCode::NotFound);
	}
	std::string log;
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = e->app);
	bpf_object *obj = nullptr;
	{
		LibLog cap(log);
		obj = bpf_object__open_mem(e->bytes.data(), e->bytes.size(), &opts);
	}
	if (!obj)
		throw Error("cannot open the embedded object of app '" + std::string(app) +
			    "': " + errno_text(errno) + "\n" + log);
	set_tick_ns(obj);
	return {obj, e->app, log};
}

BpfObject BpfObject::open_file(const std::string &path)
{
	std::string log;
	bpf_object *obj = nullptr;
	{
		LibLog cap(log);
		obj = bpf_object__open_file(path.c_str(), nullptr);
	}
	if (!obj)
		throw Error("cannot open eBPF object '" + path + "': " + errno_text(errno) +
			    " (is it an ELF file built with -target bpf?)\n" + log);
	set_tick_ns(obj);
	return {obj, bpf_object__name(obj), log};
}

void BpfObject::load()
{
	int err;
	{
		LibLog cap(log_);
		err = bpf_object__load(obj_);
	}
	if (err)
		throw Error(
			"the kernel refused app '" + name_ + "': " + errno_text(err) +
			(err == -EPERM ? " (run as root or grant CAP_BPF and CAP_NET_ADMIN)" : "") +
			"\n" + log_);
}

bpf_program *BpfObject::program(std::string_view name) const
{
	bpf_program *p = bpf_object__find_program_by_name(obj_, std::string(name).c_str());
	if (!p)
		throw Error("app '" + name_ + "' has no program '" + std::string(name) + "'");
	return p;
}

int BpfObject::program_fd(std::string_view name) const
{
	return bpf_program__fd(program(name));
}

bpf_map *BpfObject::map(std::string_view name) const
{
	bpf_map *m = bpf_object__find_map_by_name(obj_, std::string(name).c_str());
	if (!m)
		throw Error("app '" + name_ + "' has no map '" + std::string(name) + "'");
	return m;
}

int BpfObject::map_fd(std::string_view name) const
{
	return bpf_map__fd(map(name));
}

std::vector<std::string> BpfObject::program_names() const
{
	std::vector<std::string> names;
	bpf_program *p;
	bpf_object__for_each_program(p, obj_) names.emplace_back(bpf_program__name(p));
	return names;
}

bool BpfObject::btf_loaded() const
{
	return bpf_object__btf_fd(obj_) >= 0;
}

int possible_cpus()
{
	int n = libbpf_num_possible_cpus();
	if (n <= 0)
		throw Error("cannot read the number of possible CPUs: " + errno_text(n));
	return n;
}

bool map_lookup(int map_fd, std::span<const uint8_t> key, std::vector<uint8_t> &out)
{
	bpf_map_info info{};
	uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len) != 0)
		throw Error("not a BPF map fd: " + errno_text(errno));
	bool per_cpu = info.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		       info.type == BPF_MAP_TYPE_PERCPU_HASH ||
		       info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	// Per-CPU values are rounded up to 8 bytes each by the syscall.
	std::size_t vsize =
		per_cpu ? ((info.value_size + 7) / 8 * 8) * possible_cpus() : info.value_size;
	out.assign(vsize, 0);
	return bpf_map_lookup_elem(map_fd, key.data(), out.data()) == 0;
}

std::vector<uint64_t> map_u64_sums(int map_fd, std::span<const uint8_t> key, std::size_t fields)
{
	std::vector<uint8_t> raw;
	std::vector<uint64_t> sums(fields, 0);
	if (!map_lookup(map_fd, key, raw))
		return sums;
	bpf_map_info info{};
	uint32_t len = sizeof(info);
	bpf_obj_get_info_by_fd(map_fd, &info, &len);
	std::size_t stride = (info.value_size + 7) / 8 * 8; // per-CPU values are 8-byte aligned
	if (fields * 8 > info.value_size)
		throw Error("map values are " + std::to_string(info.value_size) +
			    " bytes, fewer than " + std::to_string(fields) + " u64 fields");
	for (std::size_t off = 0; off + info.value_size <= raw.size(); off += stride)
		for (std::size_t f = 0; f < fields; f++) {
			uint64_t v;
			std::memcpy(&v, raw.data() + off + f * 8, sizeof(v));
			sums[f] += v;
		}
	return sums;
}

std::vector<uint64_t> map_u64_sums(int map_fd, uint32_t index, std::size_t fields)
{
	return map_u64_sums(map_fd, {reinterpret_cast<const uint8_t *>(&index), sizeof(index)},
			    fields);
}

TestRun test_run(int prog_fd, std::span<const uint8_t> packet, uint32_t repeat)
{
	TestRun r;
	r.data.assign(packet.size() + 4096, 0); // room for programs that grow the packet
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet.data(), .data_out = r.data.data(),
		    .data_size_in = static_cast<uint32_t>(packet.size()),
		    .data_size_out = static_cast<uint32_t>(r.data.size()),
		    .repeat = static_cast<int>(repeat));
	if (bpf_prog_test_run_opts(prog_fd, &opts) != 0)
		throw Error("BPF_PROG_TEST_RUN failed: " + errno_text(errno));
	r.retval = opts.retval;
	r.duration_ns = opts.duration;
	r.data.resize(opts.data_size_out);
	return r;
}

ProgramInfo program_info(int prog_fd)
{
	bpf_prog_info info{};
	uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) != 0)
		throw Error("not a BPF program fd: " + errno_text(errno));
	return {info.xlated_prog_len / 8, info.jited_prog_len, info.btf_id, info.verified_insns};
}

} // namespace netext::loader
