// SPDX-License-Identifier: GPL-2.0
/*
 * netext-native-kmod-test NETEXT_KO APP_KO STUB_OBJ [CYCLES [TRAFFIC_CYCLES [NAME=KO:OBJ]...]]
 *
 * The native backend end to end, in the qemu guest (static binary): loads
 * netext.ko and the "faults" test app, runs every program through the eBPF stub
 * with BPF_PROG_TEST_RUN and checks verdicts, fault counters, the kernel log and
 * lock cleanup; measures the dispatch cost against an empty eBPF program; then
 * loads and unloads both modules CYCLES times (default 100) and checks nothing
 * leaked and that a run after reload still works. On two CPUs (guest.native_kmod
 * runs with -smp 2 and every kernel message on the console): locks from both CPUs,
 * faults under the function graph tracer, kretprobes and fexit, the watchdog's state
 * after a slow landing, slot generations, the init error path, tc on cloned skbs, the
 * extension stack under veth NAPI, and TRAFFIC_CYCLES cycles of loading, binding,
 * unbinding and unloading under traffic from every CPU (the test app and each real app
 * NAME=KO:OBJ in turn, e.g. bmc and lb: their maps made from their eBPF objects), with the
 * function graph tracer on. With bmc: its flow lock under watchdog faults.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
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
			return info.slot;	/* the handle: slot and generation */
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

/* ---- Two CPUs, tracing, traffic (issue 20) ---- */

static int nr_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity %d", cpu);
}

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static int write_file(const char *path, const char *text, int append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static __u64 global_u64(int which)
{
	int dev = dev_open();
	struct netext_global_info g = global_info(dev);

	close(dev);
	switch (which) {
	case 0: return g.stale_slot;
	case 1: return g.stack_used_max;
	case 2: return g.stack_reserve;
	default: return g.stack_size;
	}
}

static long module_param_long(const char *mod, const char *param)
{
	char path[256], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, param);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("read %s", path);
	fclose(f);
	return strtol(buf, NULL, 10);
}

/* Runs a stub repeat times per call, calls times, pinned to cpu; sums what came back. */
struct runner {
	int fd, cpu, calls, repeat, want;
	int mismatched;
	pthread_t t;
};

static void *runner_main(void *arg)
{
	struct runner *r = arg;

	pin_cpu(r->cpu);
	for (int i = 0; i < r->calls; i++)
		if (run(r->fd, r->repeat, NULL) != r->want)
			r->mismatched++;
	return NULL;
}

/*
 * Locks on two CPUs: one lock at a time, so AB on CPU 0 and BA on CPU 1 cannot
 * deadlock (the second lock faults RESOURCE); a read-modify-write under the lock from
 * both CPUs loses no update; app-level holds are released by the landing pad.
 */
static void locks_smp(int dev)
{
	struct netext_prog_info info;
	__u32 s_ab = find_slot(dev, "faults", "lock_ab"), s_ba = find_slot(dev, "faults", "lock_ba");
	__u32 s_count = find_slot(dev, "faults", "lock_count");
	struct stub ab = load_stub(s_ab, "netext_xdp"), ba = load_stub(s_ba, "netext_xdp");
	struct stub count = load_stub(s_count, "netext_xdp");
	struct stub probe = load_stub(find_slot(dev, "faults", "lock_probe"), "netext_xdp");
	struct runner r[2];
	int cpus = nr_cpus(), r0, calls = 40, repeat = 50;

	r0 = run(ab.fd, 1, NULL);
	prog_info(dev, s_ab, &info);
	CHECK(r0 == XDP_PASS && info.faults == 1 && info.last_fault_reason == NETEXT_FAULT_RESOURCE,
	      "a second lock while one is held: refused (RESOURCE), verdict PASS (%d, reason %u)",
	      r0, info.last_fault_reason);
	r[0] = (struct runner){ .fd = ab.fd, .cpu = 0, .calls = calls, .repeat = repeat,
				.want = XDP_PASS };
	r[1] = (struct runner){ .fd = ba.fd, .cpu = cpus > 1 ? 1 : 0, .calls = calls,
				.repeat = repeat, .want = XDP_PASS };
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i].t, NULL, runner_main, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(r[i].t, NULL);
	CHECK(cpus > 1, "the guest has %d CPUs", cpus);
	CHECK(r[0].mismatched == 0 && r[1].mismatched == 0,
	      "lock AB on CPU 0 and BA on CPU %d, %d runs each at once: no deadlock, every run "
	      "PASS (%d, %d other)", r[1].cpu, calls * repeat, r[0].mismatched, r[1].mismatched);
	r0 = run(probe.fd, 1, NULL);
	CHECK(r0 == XDP_PASS, "and the first lock is free afterwards (%d)", r0);

	r[0] = (struct runner){ .fd = count.fd, .cpu = 0, .calls = calls, .repeat = repeat,
				.want = XDP_TX };
	r[1] = r[0];
	r[1].cpu = cpus > 1 ? 1 : 0;
	/*
	 * Mutual exclusion, not the watchdog: no budget, so no run is cut short between
	 * reading and writing the counter. Even 200 ms was not enough under single-threaded
	 * TCG (guest.6.12.native), where one vCPU waits while the other runs its slice
	 * and the host is busy: a kill there lost one update of 4000.
	 */
	set_watchdog_us(0);
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i].t, NULL, runner_main, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(r[i].t, NULL);
	set_watchdog_us(RELAXED_WATCHDOG_US);
	{
		long v = module_param_long("netext_app_faults", "lock_count_value");

		CHECK(r[0].mismatched == 0 && r[1].mismatched == 0 && v == 2L * calls * repeat,
		      "a counter updated under the lock from both CPUs: %ld of %d updates",
		      v, 2 * calls * repeat);
	}

	{
		__u32 s_hp = find_slot(dev, "faults", "hold_panic"), s_hl = find_slot(dev, "faults", "hold_leak");
		struct stub hp = load_stub(s_hp, "netext_xdp"), hl = load_stub(s_hl, "netext_xdp");
		struct stub hok = load_stub(find_slot(dev, "faults", "hold_ok"), "netext_xdp");
		struct stub hprobe = load_stub(find_slot(dev, "faults", "hold_probe"), "netext_xdp");
		int a, b;

		a = run(hp.fd, 1, NULL);
		b = run(hprobe.fd, 1, NULL);
		prog_info(dev, s_hp, &info);
		CHECK(a == XDP_PASS && b == XDP_PASS && info.last_fault_reason == NETEXT_FAULT_PANIC,
		      "an app-level lock (sequence word) held at a panic: released by the landing "
		      "pad (%d, probe %d)", a, b);
		a = run(hl.fd, 1, NULL);
		b = run(hprobe.fd, 1, NULL);
		prog_info(dev, s_hl, &info);
		CHECK(a == XDP_PASS && b == XDP_PASS && info.last_fault_reason == NETEXT_FAULT_LEAK,
		      "returned holding it: a leak (reason %u), released (probe %d)",
		      info.last_fault_reason, b);
		a = run(hok.fd, 100, NULL);
		b = run(hprobe.fd, 1, NULL);
		CHECK(a == XDP_TX && b == XDP_PASS, "taken and released by the app itself: TX (%d, %d)",
		      a, b);
		close_stub(&hp);
		close_stub(&hl);
		close_stub(&hok);
		close_stub(&hprobe);
	}
	close_stub(&ab);
	close_stub(&ba);
	close_stub(&count);
	close_stub(&probe);
}

/*
 * A watchdog kill, then at once a program that calls a helper first. With every kernel
 * message on the serial console (loglevel 8) the landing pad's log line takes longer
 * than a budget: a tick during it must not leave state that ends the next program.
 */
static void watchdog_stale(int dev)
{
	__u32 s_spin = find_slot(dev, "faults", "spin"), s_hf = find_slot(dev, "faults", "helper_first");
	struct stub spin = load_stub(s_spin, "netext_xdp"), hf = load_stub(s_hf, "netext_xdp");
	struct netext_prog_info info;
	int bad = 0, killed = 0;

	/*
	 * 1 ms: a tick still falls inside the landing pad's log line on the serial console
	 * (several ms at loglevel 8), where a stale flag would come from, while a TCG pause
	 * long enough to end helper_first honestly (two ticks) stays rare on a busy host.
	 */
	set_watchdog_us(1000);
	usleep(2 * RELAXED_WATCHDOG_US);
	for (int i = 0; i < 8; i++) {
		killed += run(spin.fd, 1, NULL) == XDP_DROP;
		bad += run(hf.fd, 1, NULL) != XDP_TX;
	}
	set_watchdog_us(RELAXED_WATCHDOG_US);
	prog_info(dev, s_hf, &info);
	CHECK(killed == 8 && bad == 0 && info.faults == 0,
	      "8 watchdog kills (%d), each followed by a program calling a helper: it ran "
	      "normally every time (%d wrong, %llu faults)", killed, bad,
	      (unsigned long long)info.faults);
	close_stub(&spin);
	close_stub(&hf);
}

/* The BTF of a loaded module, split on vmlinux's; NULL if absent. */
static struct btf *module_btf(const char *name, int *obj_fd)
{
	static struct btf *vmlinux;
	__u32 id = 0;

	if (!vmlinux)
		vmlinux = btf__load_vmlinux_btf();
	while (!bpf_btf_get_next_id(id, &id)) {
		char nbuf[64] = "";
		struct bpf_btf_info info = { .name = (__u64)(unsigned long)nbuf,
					     .name_len = sizeof(nbuf) };
		__u32 len = sizeof(info);
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(nbuf, name)) {
			*obj_fd = fd;
			return btf__load_from_kernel_by_id_split(id, vmlinux);
		}
		close(fd);
	}
	return NULL;
}

/* An fexit program (return 0) on the module function with BTF id; its link fd or -errno. */
static int fexit_attach(int btf_obj_fd, __u32 btf_id, int *prog_fd)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FEXIT,
		    .attach_btf_id = btf_id, .attach_btf_obj_fd = btf_obj_fd);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nx_fexit", "GPL", insns, 2, &o), link;

	if (fd < 0)
		return fd;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0) {
		close(fd);
		return link;
	}
	*prog_fd = fd;
	return link;
}

/* netext.ko's functions that can end a program from inside their frame (or abandon one). */
static const char *const faulting[] = {
	"netext_spin_lock", "netext_spin_unlock", "netext_trylock", "netext_unlock",
	"netext_stack_check", "netext_map_lookup", "netext_map_update", "netext_map_delete",
	"netext_xdp_adjust_head", "netext_xdp_adjust_tail", "netext_xdp_rx_queue_index",
	"netext_xdp_redirect", "netext_xdp_fib_lookup", "netext_skb_len", "netext_skb_ifindex",
	"netext_skb_mark", "netext_skb_set_mark", "netext_skb_pull", "netext_skb_load_bytes",
	"netext_now_ns", "netext_coarse_now_ns", "netext_ticks", "netext_random_u32",
	"netext_cpu_id", "netext_fault", "netext_fault_record", "netext_wd_landing",
};

static int is_faulting(const char *name)
{
	for (size_t i = 0; i < sizeof(faulting) / sizeof(faulting[0]); i++)
		if (!strcmp(name, faulting[i]))
			return 1;
	return 0;
}

static int file_has_word(const char *path, const char *word)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n;
	char *p;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (p = buf; (p = strstr(p, word)); p++)
		if ((p == buf || p[-1] == '\n' || p[-1] == ' ') &&
		    (p[strlen(word)] == '\n' || p[strlen(word)] == ' ' || !p[strlen(word)]))
			return 1;
	return 0;
}

/*
 * Every fault kind with the function graph tracer on netext_*, kretprobes where the
 * kernel lets them be put, and a BPF fexit program on every netext_* function it can
 * attach to: no oops, the right verdicts and counters.
 */
static void tracing(int dev)
{
	const char *tr = "/sys/kernel/tracing";
	int kret_ok = 0, kret_faulting = 0, fexit_ok = 0, fexit_faulting = 0, traced_faulting = 0;
	int links[256], progs[256], nlinks = 0, btf_fd = -1;
	char line[256];
	struct btf *btf;
	struct netext_prog_info info;

	mount("tracefs", tr, "tracefs", 0, NULL);
	write_file("/sys/kernel/tracing/kprobe_events", "", 0);
	for (size_t i = 0; i < sizeof(faulting) / sizeof(faulting[0]); i++) {
		char path[128];

		snprintf(line, sizeof(line), "r:nxr%zu %s\n", i, faulting[i]);
		if (!write_file("/sys/kernel/tracing/kprobe_events", line, 1))
			kret_faulting++, printf("  kretprobe accepted on %s\n", faulting[i]);
		snprintf(path, sizeof(path), "%s/available_filter_functions", tr);
		if (file_has_word(path, faulting[i]) == 1)
			traced_faulting++, printf("  %s is in ftrace's list\n", faulting[i]);
	}
	CHECK(kret_faulting == 0, "no kretprobe can be put on the %zu functions that may end a "
	      "program (%d accepted)", sizeof(faulting) / sizeof(faulting[0]), kret_faulting);
	CHECK(traced_faulting == 0, "none of them is in ftrace's list (%d)", traced_faulting);
	for (int i = 0; i < 3; i++) {
		static const char *const ok[] = { "netext_xdp_run", "netext_tc_run", "netext_landing_pad" };

		snprintf(line, sizeof(line), "r:nxok%d %s\n", i, ok[i]);
		kret_ok += !write_file("/sys/kernel/tracing/kprobe_events", line, 1);
	}
	CHECK(kret_ok == 3, "kretprobes on netext_xdp_run, netext_tc_run, netext_landing_pad (%d)",
	      kret_ok);
	write_file("/sys/kernel/tracing/events/kprobes/enable", "1", 0);
	CHECK(!write_file("/sys/kernel/tracing/set_ftrace_filter", "netext_*", 0) &&
		      !write_file("/sys/kernel/tracing/current_tracer", "function_graph", 0) &&
		      !write_file("/sys/kernel/tracing/tracing_on", "1", 0),
	      "function_graph tracer on netext_*");

	btf = module_btf("netext", &btf_fd);
	CHECK(btf != NULL, "netext.ko's BTF");
	for (__u32 id = 1; btf && id < btf__type_cnt(btf) && nlinks < 256; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;
		int pfd, l;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (strncmp(name, "netext_", 7))
			continue;
		l = fexit_attach(btf_fd, id, &pfd);
		if (l < 0)
			continue;
		if (is_faulting(name))
			fexit_faulting++, printf("  fexit attached to %s\n", name);
		fexit_ok++;
		links[nlinks] = l;
		progs[nlinks++] = pfd;
	}
	CHECK(fexit_ok > 0 && fexit_faulting == 0,
	      "fexit attached to %d netext_* functions, none of those that may end a program (%d)",
	      fexit_ok, fexit_faulting);

	/* every fault kind, under all of it */
	{
		static const struct { const char *prog, *stub; int want; __u32 reason; } kinds[] = {
			{ "oob", "netext_xdp", XDP_DROP, NETEXT_FAULT_BOUNDS },
			{ "panic_locked", "netext_xdp", XDP_PASS, NETEXT_FAULT_PANIC },
			{ "stack", "netext_xdp", XDP_PASS, NETEXT_FAULT_STACK },
			{ "leak", "netext_xdp", XDP_PASS, NETEXT_FAULT_LEAK },
			{ "lock_ab", "netext_xdp", XDP_PASS, NETEXT_FAULT_RESOURCE },
			{ "hold_panic", "netext_xdp", XDP_PASS, NETEXT_FAULT_PANIC },
			{ "spin", "netext_xdp", XDP_DROP, NETEXT_FAULT_TIMEOUT },
			{ "spin_helper", "netext_xdp", XDP_PASS, NETEXT_FAULT_TIMEOUT },
			{ "spin_locked", "netext_xdp", XDP_PASS, NETEXT_FAULT_TIMEOUT },
			{ "redirect_nowhere", "netext_xdp", XDP_PASS, NETEXT_FAULT_REDIRECT },
			{ "tc_redirect", "netext_tc", TC_ACT_OK, NETEXT_FAULT_REDIRECT },
		};
		struct stub pass = load_stub(find_slot(dev, "faults", "pass"), "netext_xdp");

		set_watchdog_us(500);
		usleep(2 * RELAXED_WATCHDOG_US);
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			__u32 s = find_slot(dev, "faults", kinds[i].prog);
			struct stub st = load_stub(s, kinds[i].stub);
			struct netext_prog_info before;
			int r, p;

			prog_info(dev, s, &before);
			r = run(st.fd, 3, NULL);
			prog_info(dev, s, &info);
			p = run(pass.fd, 1, NULL);
			CHECK(r == kinds[i].want && info.faults == before.faults + 3 &&
				      info.last_fault_reason == kinds[i].reason && p == XDP_PASS,
			      "traced: %s 3 times: verdict %d, +%llu faults, reason %u; next "
			      "program %d", kinds[i].prog, r,
			      (unsigned long long)(info.faults - before.faults),
			      info.last_fault_reason, p);
			close_stub(&st);
		}
		set_watchdog_us(RELAXED_WATCHDOG_US);
		close_stub(&pass);
	}
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/trace", tr);
		/* "netext_xdp_run [netext]() {" */
		CHECK(sh("grep -q 'netext_xdp_run .netext.()' %s", path) == 0,
		      "the graph tracer saw netext_xdp_run");
	}
	write_file("/sys/kernel/tracing/tracing_on", "0", 0);
	write_file("/sys/kernel/tracing/current_tracer", "nop", 0);
	write_file("/sys/kernel/tracing/set_ftrace_filter", "", 0);
	write_file("/sys/kernel/tracing/events/kprobes/enable", "0", 0);
	write_file("/sys/kernel/tracing/kprobe_events", "", 0);
	for (int i = 0; i < nlinks; i++) {
		close(links[i]);
		close(progs[i]);
	}
	if (btf)
		btf__free(btf);
	if (btf_fd >= 0)
		close(btf_fd);
}

/* ---- the real apps (BMC, LB): their modules, and their maps from their eBPF objects ---- */

struct real_app {
	char name[32];		/* "bmc": the module is netext_app_<name> */
	const char *ko, *obj;
	char rx[32];		/* its XDP program: <name>_rx */
	struct bpf_object *maps;	/* the object, no program loaded: its maps */
};
static struct real_app real_apps[4];
static int n_real_apps;

/* "NAME=KO:OBJ" */
static void real_app_add(char *arg)
{
	struct real_app *a = &real_apps[n_real_apps];
	char *eq = strchr(arg, '='), *colon = eq ? strchr(eq, ':') : NULL;
	struct bpf_program *p;

	if (!eq || !colon || n_real_apps >= 4)
		die("app argument '%s': want NAME=MODULE.ko:OBJECT.bpf.o", arg);
	*eq = *colon = 0;
	snprintf(a->name, sizeof(a->name), "%s", arg);
	snprintf(a->rx, sizeof(a->rx), "%s_rx", arg);
	a->ko = eq + 1;
	a->obj = colon + 1;
	a->maps = bpf_object__open_file(a->obj, NULL);
	if (!a->maps)
		die("open %s", a->obj);
	bpf_object__for_each_program(p, a->maps)
		bpf_program__set_autoload(p, false);
	if (bpf_object__load(a->maps))
		die("creating the maps of %s", a->obj);
	n_real_apps++;
}

static struct real_app *real_app(const char *name)
{
	for (int i = 0; i < n_real_apps; i++)
		if (!strcmp(real_apps[i].name, name))
			return &real_apps[i];
	return NULL;
}

/* Binds (or unbinds) every map of the app's object the module declares; failures. */
static int real_app_bind(int dev, const struct real_app *a, int bind, int only_first)
{
	struct bpf_map *m;
	int bad = 0;

	bpf_object__for_each_map(m, a->maps) {
		struct netext_map_bind b = { .fd = bind ? bpf_map__fd(m) : -1 };
		int rc;

		if (bpf_map__is_internal(m))
			continue;
		snprintf(b.app, sizeof(b.app), "%s", a->name);
		snprintf(b.map, sizeof(b.map), "%s", bpf_map__name(m));
		rc = ioctl(dev, bind ? NETEXT_IOC_MAP_BIND : NETEXT_IOC_MAP_UNBIND, &b) ? -errno : 0;
		bad += rc != 0 && rc != -ENOENT;
		if (only_first)
			break;
	}
	return bad;
}

static __u16 csum_fold32(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __u32 csum_add(__u32 sum, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (__u32)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (__u32)p[n - 1] << 8;
	return sum;
}

/* Ethernet + IPv4 + TCP (checksums right), 198.18.0.<src>:sport -> 198.18.0.<dst>:dport. */
static size_t tcp_frame(unsigned char *f, int src, __u16 sport, int dst, __u16 dport, __u32 seq,
			__u32 ack, __u8 flags, const char *payload, size_t plen)
{
	unsigned char *ip = f + 14, *tcp = ip + 20;
	size_t tot = 20 + 20 + plen;
	__u32 sum;

	memset(f, 0, 14 + tot);
	memcpy(f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	ip[0] = 0x45;
	ip[2] = (unsigned char)(tot >> 8);
	ip[3] = (unsigned char)tot;
	ip[5] = 1;
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, (unsigned char[]){ 198, 18, 0, (unsigned char)src }, 4);
	memcpy(ip + 16, (unsigned char[]){ 198, 18, 0, (unsigned char)dst }, 4);
	sum = csum_fold32(csum_add(0, ip, 20));
	ip[10] = (unsigned char)(sum >> 8);
	ip[11] = (unsigned char)sum;
	tcp[0] = (unsigned char)(sport >> 8);
	tcp[1] = (unsigned char)sport;
	tcp[2] = (unsigned char)(dport >> 8);
	tcp[3] = (unsigned char)dport;
	for (int i = 0; i < 4; i++) {
		tcp[4 + i] = (unsigned char)(seq >> (24 - 8 * i));
		tcp[8 + i] = (unsigned char)(ack >> (24 - 8 * i));
	}
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	tcp[14] = 0xff;
	tcp[15] = 0xff;
	memcpy(tcp + 20, payload, plen);
	sum = csum_add(0, ip + 12, 8) + IPPROTO_TCP + (__u32)(20 + plen);
	sum = csum_fold32(csum_add(sum, tcp, 20 + plen));
	tcp[16] = (unsigned char)(sum >> 8);
	tcp[17] = (unsigned char)sum;
	return 14 + tot;
}

static int run_frame(int fd, const unsigned char *f, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f, .data_size_in = (__u32)len);

	if (bpf_prog_test_run_opts(fd, &opts))
		die("BPF_PROG_TEST_RUN");
	return (int)opts.retval;
}

/* apps/bmc/bmc.hpp's Flow: one followed TCP connection, `lock` odd while a CPU holds it. */
struct bmc_flow {
	__u32 lock, mode, client[4], cport, next_seq, cmd_seq, pend_hash;
};
#define BMC_SYNCED 0
#define BMC_LOST 3

/*
 * BMC's flow lock (an app-level lock, netext::try_lock) under a fault: a TCP segment of
 * 100 memcached commands on a connection BMC follows, ended by the watchdog at budgets
 * from 2 ms down until one ends it inside the flow lock (the lock went through a take
 * and a release, the connection was not updated): the landing pad released the lock
 * and the connection reads Lost (its half-read segment untrusted). Then the next
 * segment on that connection, from the other CPU, takes the same lock and proceeds.
 */
static void bmc_flow_lock(void)
{
	struct real_app *a = real_app("bmc");
	int dev, flows, rx_fd, tx_fd, rc, tries = 0, inside = 0, held_after = 0, other = 0;
	__u32 rx, slot = ~0u, start = 0x5a5a0000, key;
	struct stub rxs, txs;
	struct bmc_flow fl;
	struct netext_prog_info info;
	static unsigned char frame[2048];
	static char payload[1500];
	size_t plen = 0, len;
	static const unsigned int budgets[] = { 2000, 1000, 500, 300, 200, 100, 50, 30 };

	if (!a) {
		CHECK(0, "BMC's flow lock: no bmc module given (NAME=KO:OBJ)");
		return;
	}
	if (load_module(a->ko))
		die("finit_module %s", a->ko);
	dev = dev_open();
	if (real_app_bind(dev, a, 1, 0))
		die("binding bmc's maps");
	flows = bpf_map__fd(bpf_object__find_map_by_name(a->maps, "bmc_flows"));
	{
		struct bpf_map_info mi = { 0 };
		__u32 n = sizeof(mi);

		if (bpf_obj_get_info_by_fd(flows, &mi, &n) || mi.value_size != sizeof(fl))
			die("bmc_flows: value size %u, this test knows bmc.hpp's Flow as %zu bytes",
			    mi.value_size, sizeof(fl));
	}
	rx = find_slot(dev, "bmc", "bmc_rx");
	rxs = load_stub(rx, "netext_xdp");
	txs = load_stub(find_slot(dev, "bmc", "bmc_tx"), "netext_tc");
	rx_fd = rxs.fd;
	tx_fd = txs.fd;

	/* memcached's SYN-ACK (tc egress): BMC follows the connection from `start` */
	len = tcp_frame(frame, 2, 11211, 1, 40000, 777, start, 0x12, "", 0);
	rc = run_frame(tx_fd, frame, len);
	for (key = 0; key < 65536; key++)
		if (!bpf_map_lookup_elem(flows, &key, &fl) && fl.next_seq == start &&
		    fl.mode == BMC_SYNCED) {
			slot = key;
			break;
		}
	if (slot == ~0u)
		die("BMC did not follow the connection after its SYN-ACK (tc verdict %d)", rc);
	for (int i = 0; plen + 16 < sizeof(payload) && i < 100; i++)
		plen += (size_t)snprintf(payload + plen, sizeof(payload) - plen, "delete k%03d\r\n", i);
	len = tcp_frame(frame, 1, 40000, 2, 11211, start, 778, 0x18, payload, plen);

	for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]) && !inside; b++) {
		set_watchdog_us(budgets[b]);
		usleep(2 * RELAXED_WATCHDOG_US);	/* the relaxed tick goes idle */
		for (int t = 0; t < 8 && !inside; t++) {
			__u32 lock0;
			__u64 f0;

			/* the connection as BMC left it after the SYN-ACK, the lock as it is */
			bpf_map_lookup_elem(flows, &slot, &fl);
			lock0 = fl.lock;
			fl.mode = BMC_SYNCED;
			fl.next_seq = fl.cmd_seq = start;
			bpf_map_update_elem(flows, &slot, &fl, BPF_EXIST);
			prog_info(dev, rx, &info);
			f0 = info.faults;
			pin_cpu(t % nr_cpus());
			run_frame(rx_fd, frame, len);
			tries++;
			prog_info(dev, rx, &info);
			bpf_map_lookup_elem(flows, &slot, &fl);
			held_after += fl.lock & 1;
			if (info.faults == f0)
				continue;
			if (fl.lock == lock0 + 2 && fl.next_seq == start)
				inside++, printf("  budget %u us: ended inside the flow lock (mode %u)\n",
						 budgets[b], fl.mode);
			else
				other++;
		}
	}
	set_watchdog_us(RELAXED_WATCHDOG_US);
	usleep(2 * RELAXED_WATCHDOG_US);
	CHECK(inside > 0 && held_after == 0,
	      "bmc_rx ended by the watchdog inside its flow lock %d time(s) (%d runs, %d ended "
	      "elsewhere): the lock never left held (%d)", inside, tries, other, held_after);
	bpf_map_lookup_elem(flows, &slot, &fl);
	CHECK(!inside || fl.mode == BMC_LOST,
	      "the connection a fault cut short reads Lost (mode %u)", fl.mode);
	{
		__u32 lock0 = fl.lock, lock1, lock2;
		__u32 mode1;
		__u64 f0;
		int cpu = 1 % nr_cpus(), r1, r2, r3;

		prog_info(dev, rx, &info);
		f0 = info.faults;
		pin_cpu(cpu);
		r1 = run_frame(rx_fd, frame, len);	/* the same connection: it flushes */
		bpf_map_lookup_elem(flows, &slot, &fl);
		lock1 = fl.lock;
		mode1 = fl.mode;
		len = tcp_frame(frame, 2, 11211, 1, 40000, 777, start, 0x12, "", 0);
		r2 = run_frame(tx_fd, frame, len);	/* a new connection in the slot */
		bpf_map_lookup_elem(flows, &slot, &fl);
		lock2 = fl.lock;
		len = tcp_frame(frame, 1, 40000, 2, 11211, start, 778, 0x18, payload, plen);
		r3 = run_frame(rx_fd, frame, len);
		prog_info(dev, rx, &info);
		bpf_map_lookup_elem(flows, &slot, &fl);
		CHECK(r1 == XDP_PASS && r2 == TC_ACT_OK && r3 == XDP_PASS && info.faults == f0 &&
			      lock1 == lock0 + 2 && mode1 == BMC_LOST && lock2 == lock1 + 2 &&
			      fl.lock == lock2 + 2 && fl.next_seq == start + plen &&
			      fl.mode == BMC_SYNCED,
		      "then on CPU %d every packet takes the same lock and proceeds: the next "
		      "segment (lock %u -> %u, still Lost: it flushes), a new connection's SYN-ACK "
		      "(-> %u, followed), its segment (-> %u, next_seq %+d, mode %u)", cpu, lock0,
		      lock1, lock2, fl.lock, (int)(fl.next_seq - start), fl.mode);
	}
	pin_cpu(0);
	close_stub(&rxs);
	close_stub(&txs);
	real_app_bind(dev, a, 0, 0);
	close(dev);
	if (unload_module("netext_app_bmc"))
		die("unloading bmc");
}

/* ---- traffic through veth NAPI on every CPU ---- */

static int netns_fd(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	return fd;
}

static void enter_netns(const char *name)
{
	int fd = netns_fd(name);

	if (setns(fd, CLONE_NEWNET))
		die("setns %s", name);
	close(fd);
}

/* The sum of the tx drop counters of this thread's namespace's devices (veth: ring full). */
static unsigned long long tx_dropped(void)
{
	char line[512];
	FILE *f = fopen("/proc/thread-self/net/dev", "r");
	unsigned long long sum = 0, v[16];

	if (!f)
		die("/proc/thread-self/net/dev");
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
				     &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
				     &v[9], &v[10], &v[11]) != 12)
			continue;
		sum += v[11];
	}
	fclose(f);
	return sum;
}

static unsigned long long nxa_tx_dropped(void)
{
	int back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	unsigned long long d;

	enter_netns("nxa");
	d = tx_dropped();
	if (back < 0 || setns(back, CLONE_NEWNET))
		die("back to the namespace");
	close(back);
	return d;
}

/* Ip InReceives of this thread's namespace */
static unsigned long long ip_in_receives(void)
{
	char hdr[1024], val[1024];
	FILE *f = fopen("/proc/thread-self/net/snmp", "r");
	unsigned long long v = 0;

	if (!f)
		die("/proc/thread-self/net/snmp");
	while (fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		char *hs, *vs, *h = strtok_r(hdr, " \n", &hs), *x = strtok_r(val, " \n", &vs);

		if (!h || strcmp(h, "Ip:"))
			continue;
		while ((h = strtok_r(NULL, " \n", &hs)) && (x = strtok_r(NULL, " \n", &vs)))
			if (!strcmp(h, "InReceives"))
				v = strtoull(x, NULL, 10);
	}
	fclose(f);
	return v;
}

static int pass_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "nx_pass", "GPL", insns, 2, NULL);

	if (fd < 0)
		die("load the XDP pass program");
	return fd;
}

/* Swaps the XDP program of ifindex old -> new without a moment without one (no ring flush). */
static int xdp_swap(int ifindex, int old_fd, int new_fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o, .old_prog_fd = old_fd);

	return bpf_xdp_attach(ifindex, new_fd, XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE, &o);
}

struct sender {
	int cpu, idx;
	volatile int *stop;
	unsigned long sent, max;
	int mix;	/* 1: faults and loops among the packets */
	pthread_t t;
};

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char dst[32], payload[32];
	int fd, one = 1;

	pin_cpu(s->cpu);
	enter_netns("nxa");
	snprintf(dst, sizeof(dst), "198.18.%d.2", s->idx + 1);
	inet_pton(AF_INET, dst, &to.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one));
	memset(payload, 'x', sizeof(payload));
	while (!*s->stop && s->sent < s->max) {
		unsigned long i = s->sent;
		char k = 'p';

		if (s->mix) {
			if (i % 400 == 200)
				k = 'w';
			else if (i % 400 == 399)
				k = 'h';
			else if (i % 40 == 5)
				k = 'b';
			else if (i % 40 == 15)
				k = 'l';
			else if (i % 40 == 25)
				k = 'r';
			else if (i % 40 == 35)
				k = 'k';
		}
		memset(payload, 'x', sizeof(payload));
		to.sin_port = htons(9);
		if (s->mix && i % 2) {
			/* a memcached GET over UDP (frame header, "get <18-byte key>\r\n"): BMC parses it */
			memcpy(payload + 1, "x\0\0\0\1\0\0get kkkkkkkkkkkkkkkkkk\r\n", 31);
			to.sin_port = htons(11211);
		}
		payload[0] = k;
		if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)) ==
		    (ssize_t)sizeof(payload))
			s->sent++;
		else
			usleep(100);
		/* bounded: about 64 packets per millisecond per CPU at most, room for the cycles */
		if (s->sent % 64 == 0)
			usleep(1000);
	}
	close(fd);
	return NULL;
}

static int senders_start(struct sender *s, int n, volatile int *stop, unsigned long max, int mix)
{
	for (int i = 0; i < n; i++) {
		s[i] = (struct sender){ .cpu = i % nr_cpus(), .idx = i, .stop = stop, .max = max,
					.mix = mix };
		pthread_create(&s[i].t, NULL, sender_main, &s[i]);
	}
	return 0;
}

static unsigned long senders_join(struct sender *s, int n)
{
	unsigned long sent = 0;

	for (int i = 0; i < n; i++) {
		pthread_join(s[i].t, NULL);
		sent += s[i].sent;
	}
	return sent;
}

static void net_setup(void)
{
	sh("ip netns del nxa 2>/dev/null; ip netns del nxb 2>/dev/null");
	if (sh("ip netns add nxa && ip netns add nxb") ||
	    sh("ip -n nxa link add va0 type veth peer name vb0 netns nxb") ||
	    sh("ip -n nxa link add va1 type veth peer name vb1 netns nxb") ||
	    sh("ip -n nxa addr add 198.18.1.1/24 dev va0 && ip -n nxa addr add 198.18.2.1/24 dev va1") ||
	    sh("ip -n nxb addr add 198.18.1.2/24 dev vb0 && ip -n nxb addr add 198.18.2.2/24 dev vb1") ||
	    sh("for n in nxa nxb; do ip -n $n link set lo up; done") ||
	    sh("ip -n nxa link set va0 up && ip -n nxa link set va1 up") ||
	    sh("ip -n nxb link set vb0 up && ip -n nxb link set vb1 up") ||
	    sh("ip -n nxa neigh add 198.18.1.2 lladdr $(ip -n nxb -br link show vb0 | awk '{print $3}') dev va0") ||
	    sh("ip -n nxa neigh add 198.18.2.2 lladdr $(ip -n nxb -br link show vb1 | awk '{print $3}') dev va1"))
		die("setting up the veth pairs");
}

static void net_teardown(void)
{
	sh("ip netns del nxa 2>/dev/null; ip netns del nxb 2>/dev/null");
}

/*
 * tc on a cloned skb: a packet socket captures the packet before tc ingress (its
 * copy shares the data), the native tc program writes a payload byte; the capture
 * must be unchanged, the stack must see the write.
 */
static void tc_unclone(int dev)
{
	__u32 s = find_slot(dev, "faults", "tc_write");
	struct stub st = load_stub(s, "netext_tc");
	int ifindex = (int)if_nametoindex("vb0");
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, topts, .prog_fd = st.fd, .handle = 1, .priority = 1);
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifindex };
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sender snd;
	volatile int stop = 0;
	struct timeval tv = { .tv_sec = 2 };
	unsigned char cap[256];
	char got[64];
	int ps, us, captured = 0, unchanged = 0, written = 0;

	bpf_tc_hook_create(&hook);
	if (bpf_tc_attach(&hook, &topts))
		die("attach tc_write at tc ingress of vb0");
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	us = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, "198.18.1.2", &me.sin_addr);
	if (ps < 0 || bind(ps, (struct sockaddr *)&ll, sizeof(ll)) || us < 0 ||
	    bind(us, (struct sockaddr *)&me, sizeof(me)))
		die("packet and UDP sockets on vb0");
	setsockopt(ps, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	senders_start(&snd, 1, &stop, 20, 0);
	senders_join(&snd, 1);
	for (int i = 0; i < 200 && captured < 20; i++) {
		ssize_t n = recv(ps, cap, sizeof(cap), 0);

		if (n < 0)
			break;
		if (n == 14 + 20 + 8 + 32 && cap[12] == 8 && cap[13] == 0) {
			captured++;
			unchanged += cap[14 + 20 + 8] == 'p';
		}
	}
	for (int i = 0; i < 20; i++) {
		ssize_t n = recv(us, got, sizeof(got), 0);

		written += n == 32 && got[0] == 'W';
	}
	CHECK(captured == 20 && unchanged == 20 && written == 20,
	      "tc writes a cloned skb (a packet socket's capture shares it): %d captured, %d "
	      "captures unchanged, %d datagrams with the program's write", captured, unchanged,
	      written);
	close(ps);
	close(us);
	bpf_tc_hook_destroy(&hook);
	close_stub(&st);
}

struct udp_list {
	const char *picks;	/* one datagram per character: its payload's second byte */
	int sent;
};

/* From nxa to 198.18.1.2:9 (through va0 -> vb0's NAPI), one CPU after the other. */
static void *udp_list_main(void *arg)
{
	struct udp_list *l = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[32];
	int fd;

	enter_netns("nxa");
	inet_pton(AF_INET, "198.18.1.2", &to.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	for (int i = 0; l->picks[i]; i++) {
		pin_cpu(i % nr_cpus());
		memset(payload, 'x', sizeof(payload));
		payload[0] = 'p';
		payload[1] = l->picks[i];
		l->sent += sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to,
				  sizeof(to)) == (ssize_t)sizeof(payload);
		usleep(50000);	/* one at a time through NAPI, in order */
	}
	close(fd);
	return NULL;
}

/*
 * Issue 19: a native app (kmod/tests/subscript, the SDK's C++) whose subscript a packet
 * byte chooses, on vb0 under veth NAPI: an index out of range, through operator[] and
 * through at(), faults (bounds), is counted, the packet passes; the kernel goes on and
 * the next packet is processed.
 */
static void subscript_napi(int dev, int pass_fd)
{
	struct real_app *a = real_app("subscript");
	int if0 = (int)if_nametoindex("vb0"), counts_fd;
	struct udp_list l = { .picks = "091aic" };
	struct netext_prog_info info;
	unsigned long long in0;
	__u64 n[8] = { 0 };
	__u32 h, zero = 0;
	struct stub st;
	pthread_t t;

	if (!a) {
		CHECK(0, "subscript: no subscript module given (NAME=KO:OBJ)");
		return;
	}
	if (load_module(a->ko))
		die("finit_module %s", a->ko);
	if (real_app_bind(dev, a, 1, 0))
		die("binding subscript's map");
	counts_fd = bpf_map__fd(bpf_object__find_map_by_name(a->maps, "subscript_counts"));
	h = find_slot(dev, "subscript", "subscript_rx");
	st = load_stub(h, "netext_xdp");
	if (xdp_swap(if0, pass_fd, st.fd))
		die("subscript_rx on vb0");
	in0 = ip_in_receives();
	pthread_create(&t, NULL, udp_list_main, &l);
	pthread_join(t, NULL);
	usleep(200000);
	xdp_swap(if0, st.fd, pass_fd);
	prog_info(dev, h, &info);
	bpf_map_lookup_elem(counts_fd, &zero, n);
	CHECK(l.sent == 6 && info.faults == 2 && info.last_fault_reason == NETEXT_FAULT_BOUNDS &&
		      info.invocations >= 6,
	      "subscript_rx under veth NAPI on %d CPUs: indexes 0, 9 (operator[]), 1, at(0), "
	      "at(8), 2: %d sent, %llu runs, %llu faults, reason %u (bounds)", nr_cpus(),
	      l.sent, (unsigned long long)info.invocations, (unsigned long long)info.faults,
	      info.last_fault_reason);
	CHECK(n[0] == 2 && n[1] == 1 && n[2] == 1 && n[7] == 0 && ip_in_receives() - in0 == 6,
	      "the packets after each fault were processed (counters %llu %llu %llu, the last "
	      "%llu) and all %llu reached the stack (fault verdict PASS)",
	      (unsigned long long)n[0], (unsigned long long)n[1], (unsigned long long)n[2],
	      (unsigned long long)n[7], ip_in_receives() - in0);
	CHECK(klog_has("program subscript_rx: fault: out of bounds"),
	      "the kernel log names the app's program and the bounds fault");
	close_stub(&st);
	real_app_bind(dev, a, 0, 0);
	if (unload_module("netext_app_subscript"))
		die("unloading subscript");
}

/*
 * A program that uses its stack down to the reserve, while packets come through veth
 * NAPI on every CPU (softirq on the IRQ stack, so a hard interrupt during the program
 * runs on the extension stack) and the watchdog's timer ticks during it.
 */
static void stack_under_napi(int dev, int pass_fd, int maps_fd)
{
	__u32 s = find_slot(dev, "faults_traffic", "near_budget");
	struct stub st = load_stub(s, "netext_xdp");
	int if0 = (int)if_nametoindex("vb0"), if1 = (int)if_nametoindex("vb1");
	struct sender snd[2];
	volatile int stop = 0;
	struct netext_prog_info info;
	unsigned long sent;
	long left;
	__u64 used, reserve = global_u64(2), size = global_u64(3);
	unsigned long long in0 = ip_in_receives(), drop0 = nxa_tx_dropped(), drop1;

	(void)maps_fd;
	set_watchdog_us(5000);
	if (xdp_swap(if0, pass_fd, st.fd) || xdp_swap(if1, pass_fd, st.fd))
		die("near_budget on vb0/vb1");
	senders_start(snd, 2, &stop, 300, 0);
	sent = senders_join(snd, 2);
	usleep(200000);
	xdp_swap(if0, st.fd, pass_fd);
	xdp_swap(if1, st.fd, pass_fd);
	set_watchdog_us(RELAXED_WATCHDOG_US);
	prog_info(dev, s, &info);
	left = module_param_long("netext_app_faults", "near_left");
	used = global_u64(1);
	drop1 = nxa_tx_dropped();
	{
		long prog_used = (long)size - (long)reserve - left;

		unsigned long long got = ip_in_receives() - in0;

		/*
		 * Under TCG the guest's clock runs on while the host does not run its vCPU:
		 * a 300 us run may now and then see two 5 ms ticks. Such an end is a
		 * watchdog fault (PASS too); any other fault is a failure.
		 */
		CHECK(info.invocations >= got && got > 0 &&
			      (info.faults == 0 || info.last_fault_reason == NETEXT_FAULT_TIMEOUT) &&
			      got + (drop1 - drop0) == sent,
		      "near_budget under veth NAPI on %d CPUs: %lu packets sent, %llu received, "
		      "%llu dropped by veth (ring full), %llu runs, %llu faults (reason %u)",
		      nr_cpus(), sent, got, drop1 - drop0, (unsigned long long)info.invocations,
		      (unsigned long long)info.faults, info.last_fault_reason);
		CHECK(left < 2048 && used < size,
		      "stack: program down to %ld bytes above the %llu-byte reserve; deepest use of "
		      "any extension stack %llu of %llu bytes: interrupts used %ld bytes below the "
		      "program's deepest point", left, (unsigned long long)reserve,
		      (unsigned long long)used, (unsigned long long)size, (long)used - prog_used);
		printf("measure: hard IRQ on the extension stack under NAPI: %ld bytes (reserve %llu)\n",
		       (long)used - prog_used, (unsigned long long)reserve);
	}
	close_stub(&st);
}

/*
 * One cycle of a real app under traffic: its module loaded, its maps bound, its XDP
 * program's stub swapped in on both veths; then (action 0) a map unbound or (1) the module
 * unloaded under load, or (2) neither; stubs swapped out, the module unloaded. Failures.
 */
static int real_app_cycle(const struct real_app *a, int action, int if0, int if1, int pass_fd,
			  unsigned long *runs, unsigned long *faults)
{
	char mod[64];
	struct netext_prog_info info;
	struct stub st;
	int dev, bad = 0;
	__u32 h;

	snprintf(mod, sizeof(mod), "netext_app_%s", a->name);
	if (load_module(a->ko))
		return 1;
	dev = dev_open();
	bad += real_app_bind(dev, a, 1, 0);
	h = find_slot(dev, a->name, a->rx);
	st = load_stub(h, "netext_xdp");
	bad += xdp_swap(if0, pass_fd, st.fd) != 0;
	bad += xdp_swap(if1, pass_fd, st.fd) != 0;
	usleep(40000);
	prog_info(dev, h, &info);
	*runs += info.invocations;
	*faults += info.faults;
	if (action == 0) {
		bad += real_app_bind(dev, a, 0, 1);
		usleep(10000);
	} else if (action == 1) {
		close(dev);
		dev = -1;
		bad += unload_module(mod) != 0;
		usleep(10000);
	}
	bad += xdp_swap(if0, st.fd, pass_fd) != 0;
	bad += xdp_swap(if1, st.fd, pass_fd) != 0;
	close_stub(&st);
	if (dev >= 0)
		close(dev);
	if (action != 1)
		bad += unload_module(mod) != 0;
	return bad;
}

/*
 * Hundreds of cycles under traffic on every CPU: the traffic app loaded, its map bound,
 * its stub swapped in on both veths; packets that fault, loop (the watchdog) or pass;
 * then the map unbound, or the app unloaded, under load; netext.ko itself reloaded
 * every few cycles. No oops, no leak, every packet reached the stack.
 */
static void churn(int cycles)
{
	int pass_fd = pass_prog(), map_fd, if0, if1;
	struct sender snd[2];
	volatile int stop = 0;
	unsigned long sent, faults = 0, runs = 0;
	unsigned long long in0, in1, drop0, drop1;
	long vm0, pc0, vm1, pc1;
	int bad = 0, reloads = 0, tracing_on, traced;
	unsigned long real_runs[4] = { 0 }, real_faults[4] = { 0 };
	struct timespec t0, t1;

	enter_netns("nxb");
	if0 = (int)if_nametoindex("vb0");
	if1 = (int)if_nametoindex("vb1");
	if (bpf_xdp_attach(if0, pass_fd, XDP_FLAGS_DRV_MODE, NULL) ||
	    bpf_xdp_attach(if1, pass_fd, XDP_FLAGS_DRV_MODE, NULL))
		die("XDP pass program on vb0/vb1");
	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "hits", 4, 8, 1, NULL);
	if (map_fd < 0)
		die("map");

	{
		int dev = dev_open();
		int small = bpf_map_create(BPF_MAP_TYPE_ARRAY, "hits", 4, 4, 1, NULL);
		struct netext_map_bind b = { .app = "faults_traffic", .map = "hits", .fd = small };
		int rc = ioctl(dev, NETEXT_IOC_MAP_BIND, &b) ? -errno : 0;

		CHECK(rc == -EINVAL && klog_has("app faults_traffic, map hits: bind refused: the BPF "
						"map's value_size is 4, the app declares 8"),
		      "a map with another value size is refused (%d), the log names the field", rc);
		close(small);
		tc_unclone(dev);
		if (real_app("subscript"))
			subscript_napi(dev, pass_fd);
		b.fd = map_fd;
		if (ioctl(dev, NETEXT_IOC_MAP_BIND, &b))
			die("bind hits");
		stack_under_napi(dev, pass_fd, map_fd);
		b.fd = -1;
		ioctl(dev, NETEXT_IOC_MAP_UNBIND, &b);
		close(dev);
	}
	if (unload_module("netext_app_faults"))
		die("unloading the app before the cycles");

	/* the function graph tracer on netext.ko, also on each reloaded copy (:mod: is kept) */
	tracing_on = !write_file("/sys/kernel/tracing/set_ftrace_filter", ":mod:netext", 0) &&
		     !write_file("/sys/kernel/tracing/current_tracer", "function_graph", 0) &&
		     !write_file("/sys/kernel/tracing/tracing_on", "1", 0);
	set_watchdog_us(2000);
	in0 = ip_in_receives();
	drop0 = nxa_tx_dropped();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	senders_start(snd, 2, &stop, ~0UL, 1);
	vm0 = pc0 = 0;
	for (int c = 0; c < cycles; c++) {
		int dev, rc, which = c % (1 + n_real_apps), action = (c / (1 + n_real_apps)) % 3;
		__u32 h;
		struct stub st;
		struct netext_map_bind b = { .app = "faults_traffic", .map = "hits" };
		struct netext_prog_info info;

		if (c == 1 + n_real_apps) {	/* after a warm-up cycle of each app */
			vm0 = meminfo_kb("VmallocUsed");
			pc0 = meminfo_kb("Percpu");
		}
		if (c > 0 && c % 10 == 0) {
			rc = unload_module("netext");
			bad += rc != 0;
			rc = load_module(netext_ko);
			bad += rc != 0;
			reloads++;
			set_watchdog_us(2000);
		}
		if (which > 0) {
			bad += real_app_cycle(&real_apps[which - 1], action, if0, if1, pass_fd,
					      &real_runs[which - 1], &real_faults[which - 1]);
			continue;
		}
		rc = load_module(app_ko);
		if (rc) {
			bad++;
			continue;
		}
		dev = dev_open();
		b.fd = map_fd;
		bad += ioctl(dev, NETEXT_IOC_MAP_BIND, &b) != 0;
		h = find_slot(dev, "faults_traffic", "mixed");
		st = load_stub(h, "netext_xdp");
		bad += xdp_swap(if0, pass_fd, st.fd) != 0;
		bad += xdp_swap(if1, pass_fd, st.fd) != 0;
		usleep(40000);
		prog_info(dev, h, &info);
		runs += info.invocations;
		faults += info.faults;
		switch (action) {
		case 0:	/* unbind under load: not run, UNBOUND, PASS */
			b.fd = -1;
			bad += ioctl(dev, NETEXT_IOC_MAP_UNBIND, &b) != 0;
			usleep(10000);
			break;
		case 1:	/* the app goes away under its attached stub */
			close(dev);
			dev = -1;
			bad += unload_module("netext_app_faults") != 0;
			usleep(10000);
			break;
		}
		bad += xdp_swap(if0, st.fd, pass_fd) != 0;
		bad += xdp_swap(if1, st.fd, pass_fd) != 0;
		close_stub(&st);
		if (dev >= 0)
			close(dev);
		if (action != 1)
			bad += unload_module("netext_app_faults") != 0;
	}
	stop = 1;
	sent = senders_join(snd, 2);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usleep(300000);
	in1 = ip_in_receives();
	drop1 = nxa_tx_dropped();
	vm1 = meminfo_kb("VmallocUsed");
	pc1 = meminfo_kb("Percpu");
	set_watchdog_us(RELAXED_WATCHDOG_US);
	traced = tracing_on && sh("grep -q netext_xdp_run /sys/kernel/tracing/trace") == 0;
	write_file("/sys/kernel/tracing/current_tracer", "nop", 0);
	write_file("/sys/kernel/tracing/set_ftrace_filter", "", 0);
	{
		char names[160] = "faults_traffic";

		for (int i = 0; i < n_real_apps; i++) {
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
			strncat(names, real_apps[i].name, sizeof(names) - strlen(names) - 1);
		}
		CHECK(bad == 0, "%d cycles (%s in turn: load, bind, stub swapped in on 2 veths, "
		      "unbind or unload under load; netext.ko reloaded %d times) under traffic from "
		      "%d CPUs, the function graph tracer on netext.ko: no step failed (%d)", cycles,
		      names, reloads, nr_cpus(), bad);
	}
	CHECK(traced, "the tracer recorded netext_xdp_run during the cycles");
	for (int i = 0; i < n_real_apps; i++)
		CHECK(real_runs[i] > 0, "%s ran %lu times under the cycles (%lu faults)",
		      real_apps[i].name, real_runs[i], real_faults[i]);
	printf("measure: %d traffic cycles in %.1f s (%.2f s a cycle), %lu packets\n", cycles,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9) / cycles, sent);
	CHECK(in1 - in0 + (drop1 - drop0) == sent,
	      "every packet reached the stack: %lu sent, %llu received, %llu dropped by veth "
	      "before any program (its ring full while NAPI ran in ksoftirqd) (mixed ran %lu "
	      "times, %lu faults incl. watchdog kills)", sent, in1 - in0, drop1 - drop0, runs,
	      faults);
	CHECK(runs > 0 && faults > 0, "the programs ran and faulted under load (%lu, %lu)", runs,
	      faults);
	CHECK(vm1 - vm0 < 512 && pc1 - pc0 < 64,
	      "no leak over the cycles: VmallocUsed %ld -> %ld kB (%+ld), Percpu %ld -> %ld kB (%+ld)",
	      vm0, vm1, vm1 - vm0, pc0, pc1, pc1 - pc0);
	CHECK(!klog_has("WARNING:") && !klog_has("BUG:") && !klog_has("Oops"),
	      "no oops, BUG or WARNING in the kernel log");
	bpf_xdp_detach(if0, XDP_FLAGS_DRV_MODE, NULL);
	bpf_xdp_detach(if1, XDP_FLAGS_DRV_MODE, NULL);
	close(pass_fd);
	close(map_fd);
	if (load_module(app_ko))
		die("loading the app after the cycles");
}

/* The init error path: a failed stack allocation leaves nothing (every timer was set up). */
static void init_failure(void)
{
	int rc = load_module_params(netext_ko, "inject_stack_fail=0");

	CHECK(rc == -ENOMEM && !module_loaded("netext"),
	      "netext.ko with CPU 0's stack failing: refused (%d), nothing left, no oops", rc);
}

/* Programs that never return: the watchdog ends them; the kernel and the next runs go on. */
static void watchdog(int dev, struct stub *pass)
{
	struct netext_prog_info info;
	__u32 s_spin = find_slot(dev, "faults", "spin");
	__u32 s_spin_helper = find_slot(dev, "faults", "spin_helper");
	struct stub spin = load_stub(s_spin, "netext_xdp");
	struct stub spin_helper = load_stub(s_spin_helper, "netext_xdp");
	unsigned long long f0;
	__u32 d;
	int r;

	prog_info(dev, s_spin, &info);
	f0 = info.faults;	/* watchdog_stale's */
	set_watchdog_us(500);
	/* a change applies from the next tick: let the relaxed one go idle first */
	usleep(2 * RELAXED_WATCHDOG_US);
	r = run(spin.fd, 1, &d);
	prog_info(dev, s_spin, &info);
	CHECK(r == XDP_DROP && info.faults - f0 == 1 && info.last_fault_reason == NETEXT_FAULT_TIMEOUT,
	      "spin (an endless loop) ended by the watchdog after %u us: its fault verdict "
	      "XDP_DROP (%d), reason watchdog (%u)", d / 1000, r, info.last_fault_reason);
	CHECK(klog_has("program spin: fault: watchdog"), "kernel log names the watchdog");
	r = run(pass->fd, 1, NULL);
	CHECK(r == XDP_PASS, "the next program runs normally (%d)", r);
	r = run(spin.fd, 20, NULL);
	prog_info(dev, s_spin, &info);
	CHECK(r == XDP_DROP && info.faults - f0 == 21, "spin 20 more times: 21 faults (%llu)",
	      (unsigned long long)(info.faults - f0));
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
	unsigned long long app0;
	int dev = dev_open();
	__u32 s_pass, s_drop, s_oob, s_panic, s_probe, s_lock_ok, s_deep, s_stack, s_leak, s_tc;
	struct stub pass, drop, oob, panic_locked, probe, lock_ok, deep, stack, leak, tc, wrong,
		empty, empty_slot;
	int r;

	g = global_info(dev);
	CHECK(g.apps == 2 && g.progs == 27, "two apps with 27 programs registered (%u, %u)",
	      g.apps, g.progs);
	CHECK(module_param_long("netext_app_faults", "bad_verdict_refused") == 1 &&
		      klog_has("program bad: fault verdict 7 refused"),
	      "a tc program whose fault verdict is REDIRECT is refused at registration");
	watchdog_stale(dev);
	/* its log lines used the app's rate limit (10 per 5 s): the checks below read theirs */
	usleep(5200000);
	prog_info(dev, find_slot(dev, "faults", "pass"), &info);
	app0 = info.app_faults;	/* watchdog_stale's */
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
	CHECK(info.app_faults - app0 == 1, "app fault counter 1 (%llu)",
	      (unsigned long long)(info.app_faults - app0));
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
	CHECK(info.app_faults - app0 == 5, "app faults: oob 1 + panic_locked 2 + stack 1 + leak 1 = %llu",
	      (unsigned long long)(info.app_faults - app0));

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
	locks_smp(dev);
	tracing(dev);

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
		static char text[65536];
		int fd = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);
		ssize_t n, got = 0;

		while (fd >= 0 && (n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
			got += n;
		text[got] = 0;
		if (fd >= 0)
			close(fd);
		CHECK(strstr(text, " faults oob xdp 4 4 out of bounds\n") != NULL,
		      "reading %s gives a table of programs", NETEXT_DEV_PATH);
	}

	/* The app goes away under a loaded stub: its slots empty, the stub passes. */
	CHECK(unload_module("netext_app_faults") == 0, "rmmod the app with stubs still loaded");
	r = run(drop.fd, 1, NULL);
	CHECK(r == XDP_PASS, "drop's stub after the app left: XDP_PASS (%d)", r);
	CHECK(prog_info(dev, s_drop, &info) == -ENOENT, "its slot is empty");
	CHECK(load_module(app_ko) == 0, "insmod the app again");
	{
		__u32 s_new = find_slot(dev, "faults", "drop");
		__u64 stale0 = global_u64(0);

		r = run(drop.fd, 1, NULL);
		CHECK((s_new & 0xff) == (s_drop & 0xff) && s_new != s_drop && r == XDP_PASS &&
			      global_u64(0) == stale0 + 1,
		      "the app is back in the same slot (%u) with a new handle (%#x, was %#x): the "
		      "old stub does not run it (%d), counted as stale", s_new & 0xff, s_new, s_drop,
		      r);
	}

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
	int cycles = 100, churn_cycles = 0;
	long vm0, pc0, vm1, pc1;
	struct timespec t0, t1;

	if (argc < 4) {
		fprintf(stderr, "usage: %s NETEXT_KO APP_KO STUB_OBJ [CYCLES [TRAFFIC_CYCLES "
			"[NAME=APP_KO:APP_OBJ]...]]\n",
			argv[0]);
		return 2;
	}
	netext_ko = argv[1];
	app_ko = argv[2];
	stub_obj = argv[3];
	if (argc > 4)
		cycles = atoi(argv[4]);
	if (argc > 5)
		churn_cycles = atoi(argv[5]);
	for (int i = 6; i < argc; i++)
		real_app_add(argv[i]);
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
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < cycles; i++) {
		load_both();
		if (i % 25 == 0)
			run_pass_once("run during the load/unload cycles");
		unload_both();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	vm1 = meminfo_kb("VmallocUsed");
	pc1 = meminfo_kb("Percpu");
	CHECK(vm1 - vm0 < 256 && pc1 - pc0 < 64,
	      "%d load/unload cycles: VmallocUsed %ld -> %ld kB (%+ld), Percpu %ld -> %ld kB (%+ld)",
	      cycles, vm0, vm1, vm1 - vm0, pc0, pc1, pc1 - pc0);
	printf("measure: %d load/unload cycles in %.1f s\n", cycles,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK(!klog_has("went away without unregistering"), "no app left registered on unload");

	init_failure();
	load_both();
	run_pass_once("after reload");
	if (real_app("bmc"))
		bmc_flow_lock();
	if (churn_cycles > 0) {
		net_setup();
		churn(churn_cycles);
		net_teardown();
	}
	unload_both();

	printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
