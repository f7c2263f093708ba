// netext-native-apps-test NETEXT_KO COUNTER_KO ECHO_KO STUB_OBJ COUNTER_BPF ECHO_BPF [APP_KO...]
//
// The same app source as eBPF and as native code, in the qemu guest (static binary):
// loads netext.ko and the counter and echo app modules (built from the apps' C++), loads
// the apps' eBPF objects with libbpf twice (one copy runs as eBPF, the other only
// provides the maps bound to the native apps through /dev/netext), and runs the fixture
// corpus and its mutants through both with BPF_PROG_TEST_RUN: identical verdicts, output
// bytes and map totals. Then checks map binding errors, unbinding, per-packet cost, and
// that unloading puts every map reference. Further app modules (APP_KO: apps built natively
// whose corpus is not run here yet) are loaded, checked to register and to refuse to run
// unbound, and unloaded.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "../include/uapi/netext.h"
#include "fixtures.hpp"
#include "modules.h"

using netext::testing::Bytes;

namespace {

int failures;

void check(bool ok, const char *fmt, ...)
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

[[noreturn]] void die(const char *fmt, ...)
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

int dev;

void set_watchdog_us(unsigned us)
{
	FILE *f = std::fopen("/sys/module/netext/parameters/watchdog_us", "w");
	if (!f || std::fprintf(f, "%u\n", us) < 0 || std::fclose(f) != 0)
		die("setting watchdog_us");
}

bool prog_info(uint32_t slot, netext_prog_info &info)
{
	std::memset(&info, 0, sizeof(info));
	info.slot = slot;
	return ioctl(dev, NETEXT_IOC_PROG_INFO, &info) == 0;
}

uint32_t find_slot(const char *app, const char *name)
{
	netext_prog_info info;
	for (uint32_t s = 0; s < NETEXT_MAX_SLOTS; s++)
		if (prog_info(s, info) && !std::strcmp(info.app, app) &&
		    !std::strcmp(info.name, name))
			return s;
	die("no native program %s/%s registered", app, name);
}

netext_prog_info info_of(uint32_t slot)
{
	netext_prog_info info;
	if (!prog_info(slot, info))
		die("NETEXT_IOC_PROG_INFO %u", slot);
	return info;
}

int bind_map(unsigned long cmd, const char *app, const char *map, int fd)
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

Object load_object(const char *path, const char *only_prog = nullptr, const void *rodata = nullptr,
		   size_t rodata_size = 0)
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
	if (bpf_object__load(o.obj))
		die("load %s", path);
	return o;
}

const char *stub_path;

// One loaded stub per native program: the slot is a constant in its .rodata.
int load_stub(uint32_t slot, const char *stub_prog, std::vector<Object> &keep)
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

Run test_run(int fd, const Bytes &in, int repeat = 1, uint32_t *duration = nullptr)
{
	Run r;
	r.out.resize(in.size() + 4096);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in.data(), .data_out = r.out.data(),
		    .data_size_in = static_cast<uint32_t>(in.size()),
		    .data_size_out = static_cast<uint32_t>(r.out.size()), .repeat = repeat);
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
std::vector<uint64_t> percpu_totals(int fd, uint32_t entries, uint32_t value_size)
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

bpf_map_info map_info(int fd)
{
	bpf_map_info info{};
	uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("map info");
	return info;
}

uint32_t best_duration(int fd, const Bytes &pkt, int repeat, int rounds)
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

} // namespace

int main(int argc, char **argv)
{
	if (argc < 7) {
		std::fprintf(stderr,
			     "usage: %s NETEXT_KO COUNTER_KO ECHO_KO STUB_OBJ COUNTER_BPF "
			     "ECHO_BPF [APP_KO...]\n",
			     argv[0]);
		return 2;
	}
	const char *netext_ko = argv[1], *counter_ko = argv[2], *echo_ko = argv[3];
	stub_path = argv[4];
	const char *counter_bpf = argv[5], *echo_bpf = argv[6];
	libbpf_set_print(nullptr);

	for (const char *ko : {netext_ko, counter_ko, echo_ko})
		if (int rc = load_module(ko))
			errno = -rc, die("finit_module %s", ko);
	// The guest's clock runs while qemu waits for the host CPU: a generous budget, so a
	// busy host cannot end a fixture (guest.native_kmod tests the watchdog).
	set_watchdog_us(200000);
	dev = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);
	if (dev < 0)
		die("open %s", NETEXT_DEV_PATH);

	struct Pair {
		const char *app, *prog, *stub;
		int ebpf_fd = -1, native_fd = -1;
		uint32_t slot = 0;
	};
	std::vector<Pair> pairs = {{"counter", "count_xdp", "netext_xdp"},
				   {"counter", "count_tc_ingress", "netext_tc"},
				   {"counter", "count_tc_egress", "netext_tc"},
				   {"echo", "echo_xdp", "netext_xdp"}};
	std::vector<Object> stubs;
	for (Pair &p : pairs) {
		p.slot = find_slot(p.app, p.prog);
		p.native_fd = load_stub(p.slot, p.stub, stubs);
	}

	// Unbound maps: the app does not run; the fault verdict, counted.
	Bytes probe = netext::testing::app_fixtures().front().input;
	{
		netext_prog_info before = info_of(pairs[0].slot);
		Run r = test_run(pairs[0].native_fd, probe);
		netext_prog_info after = info_of(pairs[0].slot);
		check(r.err == 0 && r.retval == XDP_PASS && after.faults == before.faults + 1 &&
			      after.last_fault_reason == NETEXT_FAULT_UNBOUND,
		      "counter with its map unbound: not run, fault verdict %u, fault counted "
		      "(reason %u)",
		      r.retval, after.last_fault_reason);
	}

	// Two copies of each eBPF object: one runs, the other's maps go to the native app.
	Object ebpf_counter = load_object(counter_bpf), native_counter = load_object(counter_bpf);
	Object ebpf_echo = load_object(echo_bpf), native_echo = load_object(echo_bpf);
	for (Pair &p : pairs)
		p.ebpf_fd = (std::strcmp(p.app, "counter") ? ebpf_echo : ebpf_counter).prog(p.prog);

	int nstats = native_counter.map("stats"), necho = native_echo.map("echo_stats");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", necho) == -EINVAL,
	      "bind refuses a map of another shape (EINVAL)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "nosuch", nstats) == -ENOENT,
	      "bind refuses an unknown map (ENOENT)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "nosuch", "stats", nstats) == -ENOENT,
	      "bind refuses an unknown app (ENOENT)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", -1) == -EBADF,
	      "bind refuses a bad fd (EBADF)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", nstats) == 0, "bind counter/stats");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", nstats) == -EBUSY,
	      "bind twice refused (EBUSY)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "echo", "echo_stats", necho) == 0,
	      "bind echo/echo_stats");
	uint32_t stats_id = map_info(nstats).id, echo_id = map_info(necho).id;
	uint32_t stats_entries = map_info(nstats).max_entries;
	uint32_t stats_vsize = map_info(nstats).value_size;
	uint32_t echo_entries = map_info(necho).max_entries;

	// The fixtures: expected verdicts and bytes, on both.
	size_t fixtures = 0;
	for (const auto &f : netext::testing::app_fixtures()) {
		for (const Pair &p : pairs) {
			if (f.app != p.app || f.program != p.prog)
				continue;
			Run e = test_run(p.ebpf_fd, f.input), n = test_run(p.native_fd, f.input);
			bool ok = e.err == 0 && n == e &&
				  static_cast<int32_t>(e.retval) == f.verdict && e.out == f.output;
			if (!ok)
				check(false,
				      "fixture %s (%s/%s): ebpf %d/%u, native %d/%u, expected %d",
				      f.name.c_str(), p.app, p.prog, e.err, e.retval, n.err,
				      n.retval, f.verdict);
			fixtures++;
		}
	}
	check(fixtures > 0 && failures == 0, "%zu fixtures: eBPF and native as expected", fixtures);

	// The mutated corpus: identical results whatever they are.
	std::vector<Bytes> corpus = netext::testing::mutated_corpus(100, 20261121);
	for (const auto &f : netext::testing::app_fixtures())
		corpus.push_back(f.input);
	size_t compared = 0, changed = 0, refused = 0, differ = 0;
	for (const Pair &p : pairs) {
		for (const Bytes &pkt : corpus) {
			Run e = test_run(p.ebpf_fd, pkt), n = test_run(p.native_fd, pkt);
			if (!(e == n)) {
				if (differ++ < 5)
					check(false,
					      "%s/%s, packet of %zu bytes: ebpf %d/%u (%zu bytes), "
					      "native %d/%u (%zu bytes)",
					      p.app, p.prog, pkt.size(), e.err, e.retval,
					      e.out.size(), n.err, n.retval, n.out.size());
				continue;
			}
			compared++;
			refused += e.err ? 1 : 0;
			changed += !e.err && e.out != pkt ? 1 : 0;
		}
	}
	check(differ == 0 && changed > 0,
	      "corpus of %zu packets x %zu programs: %zu identical (%zu rewritten, %zu refused by "
	      "the test run on both), %zu different",
	      corpus.size(), pairs.size(), compared, changed, refused, differ);

	std::vector<uint64_t> te = percpu_totals(ebpf_counter.map("stats"), stats_entries,
						 stats_vsize),
			      tn = percpu_totals(nstats, stats_entries, stats_vsize);
	uint64_t packets = 0;
	for (size_t i = 0; i < tn.size(); i += 2)
		packets += tn[i];
	check(te == tn && packets > 0, "counter totals identical (%llu packets counted)",
	      static_cast<unsigned long long>(packets));
	check(percpu_totals(ebpf_echo.map("echo_stats"), echo_entries, 8) ==
		      percpu_totals(necho, echo_entries, 8),
	      "echo totals identical");

	// Per-packet cost (repeat on the same buffer: counter leaves it unchanged).
	{
		const int repeat = 100000;
		Object empty = load_object(stub_path, "netext_empty");
		uint32_t e = best_duration(pairs[0].ebpf_fd, probe, repeat, 3);
		uint32_t n = best_duration(pairs[0].native_fd, probe, repeat, 3);
		uint32_t z = best_duration(empty.prog("netext_empty"), probe, repeat, 3);
		std::printf("perf: counter count_xdp, %zu-byte packet, repeat %d, best of 3 (TCG): "
			    "eBPF %u ns, native %u ns, empty XDP program %u ns per run\n",
			    probe.size(), repeat, e, n, z);
		// With the default budget and without the watchdog (netext.ko's watchdog_us).
		set_watchdog_us(500);
		uint32_t n5 = best_duration(pairs[0].native_fd, probe, repeat, 3);
		set_watchdog_us(0);
		uint32_t n0 = best_duration(pairs[0].native_fd, probe, repeat, 3);
		set_watchdog_us(200000);
		std::printf("perf: counter count_xdp native: %u ns with the watchdog (500 us), "
			    "%u ns without (%+d ns)\n",
			    n5, n0, static_cast<int>(n5) - static_cast<int>(n0));
		bpf_object__close(empty.obj);
	}

	// Unbind: the app stops running; unbinding twice fails.
	check(bind_map(NETEXT_IOC_MAP_UNBIND, "counter", "stats", -1) == 0, "unbind counter/stats");
	check(bind_map(NETEXT_IOC_MAP_UNBIND, "counter", "stats", -1) == -ENOENT,
	      "unbind twice refused (ENOENT)");
	{
		netext_prog_info before = info_of(pairs[0].slot);
		Run r = test_run(pairs[0].native_fd, probe);
		netext_prog_info after = info_of(pairs[0].slot);
		check(r.retval == XDP_PASS && after.faults == before.faults + 1 &&
			      after.last_fault_reason == NETEXT_FAULT_UNBOUND,
		      "counter after unbind: not run, fault counted");
	}
	// Other native apps: they register, and do not run with their maps unbound.
	for (int i = 7; i < argc; i++) {
		std::string mod = argv[i];
		mod = mod.substr(mod.rfind('/') + 1);
		mod = mod.substr(0, mod.size() - 3); // .ko
		std::string app = mod.substr(std::string("netext_app_").size());
		if (int rc = load_module(argv[i]))
			errno = -rc, die("finit_module %s", argv[i]);
		netext_prog_info info;
		uint32_t slot = NETEXT_MAX_SLOTS, nprogs = 0;
		for (uint32_t s = 0; s < NETEXT_MAX_SLOTS; s++)
			if (prog_info(s, info) && app == info.app) {
				nprogs++;
				if (info.hook == NETEXT_HOOK_XDP && slot == NETEXT_MAX_SLOTS)
					slot = s;
			}
		bool ran_unbound = true;
		if (slot != NETEXT_MAX_SLOTS) {
			std::vector<Object> keep;
			netext_prog_info before = info_of(slot);
			Run r = test_run(load_stub(slot, "netext_xdp", keep), probe);
			netext_prog_info after = info_of(slot);
			ran_unbound = r.err || after.faults != before.faults + 1 ||
				      after.last_fault_reason != NETEXT_FAULT_UNBOUND;
			bpf_object__close(keep.back().obj);
		}
		int rc = unload_module(mod.c_str());
		check(nprogs > 0 && !ran_unbound && rc == 0,
		      "%s: %u native program(s) registered, not run unbound, unloaded", mod.c_str(),
		      nprogs);
	}

	// echo stays bound: unregistering (module unload) must put it.
	for (Object &o : stubs)
		bpf_object__close(o.obj);
	for (Object *o : {&ebpf_counter, &native_counter, &ebpf_echo, &native_echo})
		bpf_object__close(o->obj);
	close(dev);
	for (const char *m : {"netext_app_echo", "netext_app_counter", "netext"})
		if (int rc = unload_module(m))
			errno = -rc, die("delete_module %s", m);
	check(true, "modules unloaded");

	// No reference left: the maps go away (freed from a workqueue: poll).
	bool gone = false;
	for (int i = 0; i < 300 && !gone; i++) {
		int a = bpf_map_get_fd_by_id(stats_id), b = bpf_map_get_fd_by_id(echo_id);
		gone = a < 0 && b < 0;
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		if (!gone)
			usleep(10000);
	}
	check(gone, "the bound maps were freed (no reference kept after unbind/unregister)");

	std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
