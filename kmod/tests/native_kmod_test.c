// SPDX-License-Identifier: GPL-2.0
/*
 * netext-native-kmod-test NETEXT_KO APP_KO STUB_OBJ [CYCLES]
 *
 * The native backend end to end, in the qemu guest (static binary): loads
 * netext.ko and the "faults" test app, runs every program through the eBPF stub
 * with BPF_PROG_TEST_RUN and checks verdicts, fault counters, the kernel log and
 * lock cleanup; measures the dispatch cost against an empty eBPF program; then
 * loads and unloads both modules CYCLES times (default 100) and checks nothing
 * leaked and that a run after reload still works.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "../include/uapi/netext.h"
#include "modules.h"

static int failures;

#define CHECK(cond, ...)                                                \
	do {                                                            \
		if (cond) {                                             \
			printf("ok   - ");                              \
		} else {                                                \
			printf("FAIL - ");                              \
			failures++;                                     \
		}                                                       \
		printf(__VA_ARGS__);                                    \
		printf("\n");                                           \
		fflush(stdout);                                         \
	} while (0)

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FATAL - ");
	vprintf(fmt, ap);
	printf(" (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

static const char *netext_ko, *app_ko, *stub_obj;

static int dev_open(void)
{
	int fd = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open %s", NETEXT_DEV_PATH);
	return fd;
}

static int prog_info(int dev, __u32 slot, struct netext_prog_info *info)
{
	memset(info, 0, sizeof(*info));
	info->slot = slot;
	return ioctl(dev, NETEXT_IOC_PROG_INFO, info) ? -errno : 0;
}

static struct netext_global_info global_info(int dev)
{
	struct netext_global_info g;

	memset(&g, 0, sizeof(g));
	if (ioctl(dev, NETEXT_IOC_GLOBAL_INFO, &g))
		die("NETEXT_IOC_GLOBAL_INFO");
	return g;
}

static __u32 find_slot(int dev, const char *app, const char *name)
{
	struct netext_prog_info info;

	for (__u32 s = 0; s < NETEXT_MAX_SLOTS; s++)
		if (!prog_info(dev, s, &info) && !strcmp(info.app, app) && !strcmp(info.name, name))
			return s;
	die("no program %s/%s registered", app, name);
	return 0;
}

struct stub {
	struct bpf_object *obj;
	int fd;
};

/* One loaded copy of the stub object, with netext_slot = slot and only prog_name loaded. */
static struct stub load_stub(__u32 slot, const char *prog_name)
{
	struct stub st = { 0 };
	struct bpf_program *prog;
	struct bpf_map *rodata;

	st.obj = bpf_object__open_file(stub_obj, NULL);
	if (!st.obj)
		die("open %s", stub_obj);
	bpf_object__for_each_program(prog, st.obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), prog_name));
	rodata = bpf_object__find_map_by_name(st.obj, ".rodata");
	if (!rodata)
		die("no .rodata in %s", stub_obj);
	/* .rodata holds netext_slot only */
	if (bpf_map__set_initial_value(rodata, &slot, sizeof(slot)))
		die("cannot set netext_slot in .rodata");
	if (bpf_object__load(st.obj))
		die("load stub %s for slot %u", prog_name, slot);
	st.fd = bpf_program__fd(bpf_object__find_program_by_name(st.obj, prog_name));
	return st;
}

static void close_stub(struct stub *st)
{
	bpf_object__close(st->obj);
	st->obj = NULL;
	st->fd = -1;
}

/* Ethernet, IPv4, UDP 198.18.0.1:1234 -> 198.18.0.2:5678, 18 bytes of payload. */
static unsigned char packet[64] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x32, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	198, 18, 0, 1, 198, 18, 0, 2,
	0x04, 0xd2, 0x16, 0x2e, 0x00, 0x1e, 0x00, 0x00,
};

static int run(int fd, int repeat, __u32 *duration)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &opts))
		die("BPF_PROG_TEST_RUN");
	if (duration)
		*duration = opts.duration;
	return (int)opts.retval;
}

static int klog_has(const char *needle)
{
	static char buf[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		die("klogctl");
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

static int module_loaded(const char *name)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		die("/proc/modules");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ')
			found = 1;
	fclose(f);
	return found;
}

static void set_watchdog_us(unsigned int us)
{
	FILE *f = fopen("/sys/module/netext/parameters/watchdog_us", "w");

	if (!f || fprintf(f, "%u\n", us) < 0 || fclose(f))
		die("setting watchdog_us");
}

/*
 * The guest's clock runs while qemu waits for the host CPU: outside the watchdog
 * tests the budget is generous, so a busy host cannot end an ordinary program.
 */
#define RELAXED_WATCHDOG_US 200000

static void load_both(void)
{
	int rc = load_module(netext_ko);

	if (rc)
		errno = -rc, die("finit_module %s", netext_ko);
	set_watchdog_us(RELAXED_WATCHDOG_US);
	rc = load_module(app_ko);
	if (rc)
		errno = -rc, die("finit_module %s", app_ko);
}

static void unload_both(void)
{
	int rc = unload_module("netext_app_faults");

	if (rc)
		errno = -rc, die("delete_module netext_app_faults");
	rc = unload_module("netext");
	if (rc)
		errno = -rc, die("delete_module netext");
}

static __u32 best_duration(int fd, int repeat, int rounds)
{
	__u32 best = ~0u, d;

	for (int i = 0; i < rounds; i++) {
		run(fd, repeat, &d);
		if (d < best)
			best = d;
	}
	return best;
}

/* Programs that never return: the watchdog ends them; the kernel and the next runs go on. */
static void watchdog(int dev, struct stub *pass)
{
	struct netext_prog_info info;
	__u32 s_spin = find_slot(dev, "faults", "spin");
	__u32 s_spin_helper = find_slot(dev, "faults", "spin_helper");
	struct stub spin = load_stub(s_spin, "netext_xdp");
	struct stub spin_helper = load_stub(s_spin_helper, "netext_xdp");
	__u32 d;
	int r;

	set_watchdog_us(500);
	/* a change applies from the next tick: let the relaxed one go idle first */
	usleep(2 * RELAXED_WATCHDOG_US);
	r = run(spin.fd, 1, &d);
	prog_info(dev, s_spin, &info);
	CHECK(r == XDP_DROP && info.faults == 1 && info.last_fault_reason == NETEXT_FAULT_TIMEOUT,
	      "spin (an endless loop) ended by the watchdog after %u us: its fault verdict "
	      "XDP_DROP (%d), reason watchdog (%u)", d / 1000, r, info.last_fault_reason);
	CHECK(klog_has("program spin: fault: watchdog"), "kernel log names the watchdog");
	r = run(pass->fd, 1, NULL);
	CHECK(r == XDP_PASS, "the next program runs normally (%d)", r);
	r = run(spin.fd, 20, NULL);
	prog_info(dev, s_spin, &info);
	CHECK(r == XDP_DROP && info.faults == 21, "spin 20 more times: 21 faults (%llu)",
	      (unsigned long long)info.faults);
	r = run(spin_helper.fd, 5, NULL);
	prog_info(dev, s_spin_helper, &info);
	CHECK(r == XDP_PASS && info.faults == 5 && info.last_fault_reason == NETEXT_FAULT_TIMEOUT,
	      "spin_helper (looping through a helper) ended 5 times (%d, %llu, reason %u)", r,
	      (unsigned long long)info.faults, info.last_fault_reason);
	{
		__u32 s_locked = find_slot(dev, "faults", "spin_locked");
		struct stub locked = load_stub(s_locked, "netext_xdp");
		struct stub probe = load_stub(find_slot(dev, "faults", "lock_probe"), "netext_xdp");

		r = run(locked.fd, 1, &d);
		prog_info(dev, s_locked, &info);
		CHECK(r == XDP_PASS && info.faults == 1 &&
			      info.last_fault_reason == NETEXT_FAULT_TIMEOUT,
		      "spin_locked (an endless loop holding a map-value lock) ended by the "
		      "watchdog after %u us (%d, reason %u)",
		      d / 1000, r, info.last_fault_reason);
		r = run(probe.fd, 1, NULL);
		CHECK(r == XDP_PASS, "and its lock was released by the landing pad (%d)", r);
		r = run(locked.fd, 3, NULL);
		r = run(probe.fd, 1, NULL);
		CHECK(r == XDP_PASS, "three more times: no deadlock, lock free (%d)", r);
		close_stub(&locked);
		close_stub(&probe);
	}
	set_watchdog_us(2000);
	r = run(spin.fd, 1, &d);
	/* over budget: still running at two ticks (one budget apart) in a row */
	CHECK(r == XDP_DROP && d >= 2000 * 1000, "with watchdog_us=2000: ended after %u us", d / 1000);
	set_watchdog_us(RELAXED_WATCHDOG_US);
	r = run(pass->fd, 1, NULL);
	CHECK(r == XDP_PASS, "pass after the watchdog tests (%d)", r);
	close_stub(&spin);
	close_stub(&spin_helper);
}

static void functional(void)
{
	struct netext_prog_info info;
	struct netext_global_info g;
	int dev = dev_open();
	__u32 s_pass, s_drop, s_oob, s_panic, s_probe, s_lock_ok, s_deep, s_stack, s_leak, s_tc;
	struct stub pass, drop, oob, panic_locked, probe, lock_ok, deep, stack, leak, tc, wrong,
		empty, empty_slot;
	int r;

	g = global_info(dev);
	CHECK(g.apps == 1 && g.progs == 15, "one app with 15 programs registered (%u, %u)",
	      g.apps, g.progs);
	CHECK(g.stack_size >= 16384, "extension stack %u bytes per CPU", g.stack_size);

	s_pass = find_slot(dev, "faults", "pass");
	s_drop = find_slot(dev, "faults", "drop");
	s_oob = find_slot(dev, "faults", "oob");
	s_panic = find_slot(dev, "faults", "panic_locked");
	s_probe = find_slot(dev, "faults", "lock_probe");
	s_lock_ok = find_slot(dev, "faults", "lock_ok");
	s_deep = find_slot(dev, "faults", "deep");
	s_stack = find_slot(dev, "faults", "stack");
	s_leak = find_slot(dev, "faults", "leak");
	s_tc = find_slot(dev, "faults", "tc_shot");

	pass = load_stub(s_pass, "netext_xdp");
	drop = load_stub(s_drop, "netext_xdp");
	oob = load_stub(s_oob, "netext_xdp");
	panic_locked = load_stub(s_panic, "netext_xdp");
	probe = load_stub(s_probe, "netext_xdp");
	lock_ok = load_stub(s_lock_ok, "netext_xdp");
	deep = load_stub(s_deep, "netext_xdp");
	stack = load_stub(s_stack, "netext_xdp");
	leak = load_stub(s_leak, "netext_xdp");
	tc = load_stub(s_tc, "netext_tc");
	wrong = load_stub(s_tc, "netext_xdp");
	empty_slot = load_stub(NETEXT_MAX_SLOTS - 1, "netext_xdp");
	empty = load_stub(0, "netext_empty");
	CHECK(1, "stubs loaded (kfuncs resolved through netext.ko's BTF)");

	r = run(pass.fd, 1, NULL);
	CHECK(r == XDP_PASS, "pass returns XDP_PASS (%d)", r);
	r = run(drop.fd, 1, NULL);
	CHECK(r == XDP_DROP, "drop returns XDP_DROP (%d)", r);
	run(pass.fd, 10, NULL);
	prog_info(dev, s_pass, &info);
	CHECK(info.invocations == 11 && info.faults == 0, "pass counted 11 invocations (%llu), 0 faults",
	      (unsigned long long)info.invocations);

	r = run(oob.fd, 1, NULL);
	CHECK(r == XDP_DROP, "oob faults with its configured verdict XDP_DROP (%d)", r);
	prog_info(dev, s_oob, &info);
	CHECK(info.faults == 1 && info.invocations == 1 && info.last_fault_reason == NETEXT_FAULT_BOUNDS,
	      "oob: 1 fault, reason bounds (%llu, %u)", (unsigned long long)info.faults,
	      info.last_fault_reason);
	CHECK(info.app_faults == 1, "app fault counter 1 (%llu)", (unsigned long long)info.app_faults);
	CHECK(klog_has("netext: app faults, program oob: fault: out of bounds"),
	      "kernel log names the app, the program and the reason");

	r = run(probe.fd, 1, NULL);
	CHECK(r == XDP_PASS, "lock free before panic_locked (%d)", r);
	r = run(panic_locked.fd, 1, NULL);
	CHECK(r == XDP_PASS, "panic_locked faults with the default verdict XDP_PASS (%d)", r);
	r = run(probe.fd, 1, NULL);
	CHECK(r == XDP_PASS, "the landing pad released the lock (%d)", r);
	r = run(panic_locked.fd, 1, NULL);
	CHECK(r == XDP_PASS, "panic_locked again: no deadlock (%d)", r);
	r = run(lock_ok.fd, 1, NULL);
	CHECK(r == XDP_TX, "lock_ok takes and releases the lock normally (%d)", r);
	prog_info(dev, s_panic, &info);
	CHECK(info.faults == 2 && info.last_fault_reason == NETEXT_FAULT_PANIC,
	      "panic_locked: 2 faults, reason panic (%llu, %u)", (unsigned long long)info.faults,
	      info.last_fault_reason);
	CHECK(klog_has("program panic_locked: fault: panic"), "kernel log has the panic");

	r = run(deep.fd, 1, NULL);
	CHECK(r == XDP_TX, "deep: a 5 KiB call chain on the extension stack returns normally (%d)", r);
	r = run(deep.fd, 100, NULL);
	CHECK(r == XDP_TX, "deep, 100 times (%d)", r);

	r = run(stack.fd, 1, NULL);
	prog_info(dev, s_stack, &info);
	CHECK(r == XDP_PASS && info.last_fault_reason == NETEXT_FAULT_STACK,
	      "stack: the stack check faults (%d, reason %u)", r, info.last_fault_reason);

	r = run(leak.fd, 1, NULL);
	prog_info(dev, s_leak, &info);
	CHECK(r == XDP_PASS && info.last_fault_reason == NETEXT_FAULT_LEAK,
	      "leak: returning with a lock held is a fault (%d, reason %u)", r,
	      info.last_fault_reason);
	r = run(probe.fd, 1, NULL);
	CHECK(r == XDP_PASS, "and the lock was released (%d)", r);

	prog_info(dev, s_pass, &info);
	CHECK(info.app_faults == 5, "app faults: oob 1 + panic_locked 2 + stack 1 + leak 1 = %llu",
	      (unsigned long long)info.app_faults);

	{
		struct stub nowhere = load_stub(find_slot(dev, "faults", "redirect_nowhere"),
						"netext_xdp");

		r = run(nowhere.fd, 1, NULL);
		prog_info(dev, find_slot(dev, "faults", "redirect_nowhere"), &info);
		CHECK(r == XDP_PASS && info.faults == 1 &&
			      info.last_fault_reason == NETEXT_FAULT_REDIRECT,
		      "XDP_REDIRECT without a target: a fault, default verdict (%d, reason %u)", r,
		      info.last_fault_reason);
		CHECK(klog_has("program redirect_nowhere: fault: redirect without target"),
		      "kernel log names the redirect fault");
		r = run(pass.fd, 1, NULL);
		CHECK(r == XDP_PASS, "the next packet is processed normally (%d)", r);
		close_stub(&nowhere);
	}
	{
		struct stub rc = load_stub(find_slot(dev, "faults", "rand_cpu"), "netext_xdp");

		r = run(rc.fd, 1, NULL);
		CHECK(r == XDP_TX, "netext_random_u32 varies, netext_cpu_id is a real CPU (%d)", r);
		close_stub(&rc);
	}

	watchdog(dev, &pass);

	r = run(tc.fd, 1, NULL);
	CHECK(r == TC_ACT_SHOT, "tc stub runs a tc program (TC_ACT_SHOT, %d)", r);

	r = run(wrong.fd, 1, NULL);
	r = run(empty_slot.fd, 1, NULL);
	g = global_info(dev);
	CHECK(r == XDP_PASS && g.wrong_hook == 1 && g.empty_slot == 1,
	      "XDP stub on a tc program and on an empty slot: XDP_PASS, counted (%llu, %llu)",
	      (unsigned long long)g.wrong_hook, (unsigned long long)g.empty_slot);

	/* Dispatch cost: stub + native pass vs an empty eBPF program. */
	{
		__u32 d_native, d_empty = best_duration(empty.fd, 100000, 5);
		__u32 d_kfunc = best_duration(empty_slot.fd, 100000, 5);
		__u32 d_nowd;

		set_watchdog_us(500);
		d_native = best_duration(pass.fd, 100000, 5);
		set_watchdog_us(0);
		d_nowd = best_duration(pass.fd, 100000, 5);
		set_watchdog_us(RELAXED_WATCHDOG_US);
		printf("bench: watchdog (per-CPU tick every budget while programs run): "
		       "stub+native pass %u ns/run with, %u ns/run without: %+d ns\n",
		       d_native, d_nowd, (int)d_native - (int)d_nowd);

		printf("bench: BPF_PROG_TEST_RUN repeat=100000, best of 5 (TCG guest): "
		       "stub+native pass %u ns/run, empty eBPF %u ns/run, ratio %.2f, overhead %d ns; "
		       "stub on an empty slot (kfunc call and lookup, no stack switch) %u ns/run\n",
		       d_native, d_empty, d_empty ? (double)d_native / d_empty : 0.0,
		       (int)d_native - (int)d_empty, d_kfunc);
	}

	{
		char text[4096];
		int fd = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

		text[n > 0 ? n : 0] = 0;
		if (fd >= 0)
			close(fd);
		CHECK(strstr(text, " faults oob xdp 1 1 out of bounds\n") != NULL,
		      "reading %s gives a table of programs", NETEXT_DEV_PATH);
	}

	/* The app goes away under a loaded stub: its slots empty, the stub passes. */
	CHECK(unload_module("netext_app_faults") == 0, "rmmod the app with stubs still loaded");
	r = run(drop.fd, 1, NULL);
	CHECK(r == XDP_PASS, "drop's stub after the app left: XDP_PASS (%d)", r);
	CHECK(prog_info(dev, s_drop, &info) == -ENOENT, "its slot is empty");
	CHECK(load_module(app_ko) == 0, "insmod the app again");

	close_stub(&pass);
	close_stub(&drop);
	close_stub(&oob);
	close_stub(&panic_locked);
	close_stub(&probe);
	close_stub(&lock_ok);
	close_stub(&deep);
	close_stub(&stack);
	close_stub(&leak);
	close_stub(&tc);
	close_stub(&wrong);
	close_stub(&empty_slot);
	close_stub(&empty);
	close(dev);
}

static void run_pass_once(const char *what)
{
	int dev = dev_open();
	struct stub pass = load_stub(find_slot(dev, "faults", "pass"), "netext_xdp");
	struct stub drop = load_stub(find_slot(dev, "faults", "drop"), "netext_xdp");
	int a = run(pass.fd, 1, NULL), b = run(drop.fd, 1, NULL);

	CHECK(a == XDP_PASS && b == XDP_DROP, "%s: pass %d, drop %d", what, a, b);
	close_stub(&pass);
	close_stub(&drop);
	close(dev);
}

int main(int argc, char **argv)
{
	int cycles = 100;
	long vm0, pc0, vm1, pc1;

	if (argc < 4) {
		fprintf(stderr, "usage: %s NETEXT_KO APP_KO STUB_OBJ [CYCLES]\n", argv[0]);
		return 2;
	}
	netext_ko = argv[1];
	app_ko = argv[2];
	stub_obj = argv[3];
	if (argc > 4)
		cycles = atoi(argv[4]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	load_both();
	CHECK(module_loaded("netext") && module_loaded("netext_app_faults"), "modules loaded");
	functional();
	unload_both();
	CHECK(!module_loaded("netext") && !module_loaded("netext_app_faults"), "modules unloaded");

	/* A first cycle warms up whatever the kernel allocates once, then measure. */
	load_both();
	unload_both();
	vm0 = meminfo_kb("VmallocUsed");
	pc0 = meminfo_kb("Percpu");
	for (int i = 0; i < cycles; i++) {
		load_both();
		if (i % 25 == 0)
			run_pass_once("run during the load/unload cycles");
		unload_both();
	}
	vm1 = meminfo_kb("VmallocUsed");
	pc1 = meminfo_kb("Percpu");
	CHECK(vm1 - vm0 < 256 && pc1 - pc0 < 64,
	      "%d load/unload cycles: VmallocUsed %+ld kB, Percpu %+ld kB", cycles, vm1 - vm0,
	      pc1 - pc0);
	CHECK(!klog_has("went away without unregistering"), "no app left registered on unload");

	load_both();
	run_pass_once("after reload");
	unload_both();

	printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
