// What the static guest programs (tests and the benchmark) share: checks, netext.ko's
// /dev/netext (slots, map binding), eBPF objects and stubs loaded with libbpf, and
// BPF_PROG_TEST_RUN. Header-only: each guest binary is one static g++ link.
#pragma once

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

#include "../include/uapi/netext.h"
#include "netext/loader/rodata.hpp"
#include "packet_builder.hpp"

namespace netext::guest {

using netext::testing::Bytes;

inline int failures;

inline void check(bool ok, const char *fmt, ...)
{
	std::printf(ok ? "ok   - " : "FAIL - ");
	failures += ok ? 0 : 1;
	va_list ap;
	va_start(ap, fmt);
	std::vprintf(fmt, ap);
	va_end(ap);
	std::printf("\n");
	std::fflush(stdout);
}

[[noreturn]] inline void die(const char *fmt, ...)
{
	int e = errno;
	std::printf("FATAL - ");
	va_list ap;
	va_start(ap, fmt);
	std::vprintf(fmt, ap);
	va_end(ap);
	std::printf(" (errno %d: %s)\n", e, std::strerror(e));
	std::exit(1);
}

inline void set_watchdog_us(unsigned us)
{
	FILE *f = std::fopen("/sys/module/netext/parameters/watchdog_us", "w");
	if (!f || std::fprintf(f, "%u\n", us) < 0 || std::fclose(f) != 0)
		die("setting watchdog_us");
}

// /dev/netext, opened by open_device().
inline int dev = -1;

inline void open_device()
{
	dev = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);
	if (dev < 0)
		die("open %s", NETEXT_DEV_PATH);
}

inline bool prog_info(uint32_t slot, netext_prog_info &info)
{
	std::memset(&info, 0, sizeof(info));
	info.slot = slot;
	return ioctl(dev, NETEXT_IOC_PROG_INFO, &info) == 0;
}

// The program's handle (its slot and the slot's generation): what its stub is given.
inline uint32_t find_slot(const char *app, const char *name)
{
	netext_prog_info info;
	for (uint32_t s = 0; s < NETEXT_MAX_SLOTS; s++)
		if (prog_info(s, info) && !std::strcmp(info.app, app) &&
		    !std::strcmp(info.name, name))
			return info.slot;
	die("no native program %s/%s registered", app, name);
}

inline netext_prog_info info_of(uint32_t slot)
{
	netext_prog_info info;
	if (!prog_info(slot, info))
		die("NETEXT_IOC_PROG_INFO %u", slot);
	return info;
}

// 0 or -errno
inline int bind_map(unsigned long cmd, const char *app, const char *map, int fd)
{
	netext_map_bind b{};
	std::snprintf(b.app, sizeof(b.app), "%s", app);
	std::snprintf(b.map, sizeof(b.map), "%s", map);
	b.fd = fd;
	return ioctl(dev, cmd, &b) ? -errno : 0;
}

struct Object {
	bpf_object *obj = nullptr;
	int prog(const char *name) const
	{
		bpf_program *p = bpf_object__find_program_by_name(obj, name);
		if (!p)
			die("no program %s", name);
		return bpf_program__fd(p);
	}
	int map(const char *name) const
	{
		int fd = bpf_object__find_map_fd_by_name(obj, name);
		if (fd < 0)
			die("no map %s", name);
		return fd;
	}
};

inline Object load_object(const char *path, const char *only_prog = nullptr,
			  const void *rodata = nullptr, size_t rodata_size = 0)
{
	Object o;
	o.obj = bpf_object__open_file(path, nullptr);
	if (!o.obj)
		die("open %s", path);
	if (only_prog) {
		bpf_program *p;
		bpf_object__for_each_program(p, o.obj)
			bpf_program__set_autoload(p, !std::strcmp(bpf_program__name(p), only_prog));
	}
	if (rodata) {
		bpf_map *m = bpf_object__find_map_by_name(o.obj, ".rodata");
		if (!m || bpf_map__set_initial_value(m, rodata, rodata_size))
			die("set .rodata of %s", path);
	}
	netext::loader::set_tick_ns(o.obj); // as the loader opens every object
	if (bpf_object__load(o.obj))
		die("load %s", path);
	return o;
}

// Binds every map of obj that app's native module declares (ENOENT: it does not use it).
inline void bind_all(const char *app, const Object &obj)
{
	bpf_map *m;
	bpf_object__for_each_map(m, obj.obj)
	{
		if (bpf_map__is_internal(m))
			continue;
		int rc = bind_map(NETEXT_IOC_MAP_BIND, app, bpf_map__name(m), bpf_map__fd(m));
		if (rc && rc != -ENOENT)
			errno = -rc, die("bind %s/%s", app, bpf_map__name(m));
	}
}

inline const char *stub_path;

// One loaded stub per native program: the slot is a constant in its .rodata.
inline int load_stub(uint32_t slot, const char *stub_prog, std::vector<Object> &keep)
{
	keep.push_back(load_object(stub_path, stub_prog, &slot, sizeof(slot)));
	return keep.back().prog(stub_prog);
}

struct Run {
	int err = 0; // -errno if the test run was refused
	uint32_t retval = 0;
	Bytes out;
	bool operator==(const Run &) const = default;
};

// ifindex: the XDP frame's ingress interface (0: the test run's loopback default).
inline Run test_run(int fd, const Bytes &in, int repeat = 1, uint32_t *duration = nullptr,
		    uint32_t ifindex = 0)
{
	Run r;
	r.out.resize(in.size() + 4096);
	xdp_md md{};
	md.data_end = static_cast<uint32_t>(in.size());
	md.ingress_ifindex = ifindex;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(), .data_out = r.out.data(),
		    .data_size_in = static_cast<uint32_t>(in.size()),
		    .data_size_out = static_cast<uint32_t>(r.out.size()), .repeat = repeat);
	if (ifindex) {
		opts.ctx_in = &md;
		opts.ctx_size_in = sizeof(md);
	}
	if (bpf_prog_test_run_opts(fd, &opts)) {
		r.err = -errno;
		r.out.clear();
		return r;
	}
	r.retval = opts.retval;
	r.out.resize(opts.data_size_out);
	if (duration)
		*duration = opts.duration;
	return r;
}

// Per-key totals over every CPU of a per-CPU map of u64 fields.
inline std::vector<uint64_t> percpu_totals(int fd, uint32_t entries, uint32_t value_size)
{
	int ncpus = libbpf_num_possible_cpus();
	uint32_t words = (value_size + 7) / 8;
	std::vector<uint64_t> buf(static_cast<size_t>(ncpus) * words), totals;
	for (uint32_t k = 0; k < entries; k++) {
		if (bpf_map_lookup_elem(fd, &k, buf.data()))
			die("lookup per-CPU key %u", k);
		for (uint32_t w = 0; w < value_size / 8; w++) {
			uint64_t t = 0;
			for (int c = 0; c < ncpus; c++)
				t += buf[static_cast<size_t>(c) * words + w];
			totals.push_back(t);
		}
	}
	return totals;
}

inline bpf_map_info map_info(int fd)
{
	bpf_map_info info{};
	uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("map info");
	return info;
}

// ns per run: the best of `rounds` test runs of `repeat` runs each on the same buffer
// (for programs that leave the packet as it is).
inline uint32_t best_duration(int fd, const Bytes &pkt, int repeat, int rounds)
{
	uint32_t best = ~0u;
	for (int i = 0; i < rounds; i++) {
		uint32_t d = 0;
		Run r = test_run(fd, pkt, repeat, &d);
		if (r.err)
			die("timed test run");
		best = d < best ? d : best;
	}
	return best;
}

// ns per run: the median of `calls` single runs, each on a fresh copy of the packet (for
// programs that rewrite it: a repeated run would see its own output).
inline uint32_t median_duration(int fd, const Bytes &pkt, int calls, uint32_t ifindex = 0)
{
	std::vector<uint32_t> d(static_cast<size_t>(calls));
	for (uint32_t &x : d)
		if (test_run(fd, pkt, 1, &x, ifindex).err)
			die("timed test run");
	std::nth_element(d.begin(), d.begin() + calls / 2, d.end());
	return d[static_cast<size_t>(calls) / 2];
}

} // namespace netext::guest
