// SPDX-License-Identifier: GPL-2.0
/*
 * netext-xdp-swap-stress SWAPS [SECONDS]
 *
 * The kernel's own XDP program swaps under traffic, with no netext code at all: two veth
 * pairs in two network namespaces, a UDP sender pinned to every CPU, and the main thread
 * replacing the native XDP program of both receiving veths SWAPS times (two trivial eBPF
 * programs, XDP_PASS, alternately; XDP_FLAGS_REPLACE, so a veth is never without one) or
 * until SECONDS (default 600) have passed. Every swap updates the kernel's XDP dispatcher
 * (bpf_dispatcher_change_prog: on 6.2+ a static_call update of bpf_dispatcher_xdp_func,
 * on 6.1 a patched jump at its entry; both through text_poke_bp) while the other CPUs run
 * it. Run in the qemu guest (tests/guest/run.sh, which fails with 125 on an oops); it
 * reproduces, or not, the "Oops: int3" at bpf_dispatcher_xdp_func seen on 6.12 under
 * multi-threaded TCG (kmod/README.md). Static, plain flags, addresses from 198.18.0.0/15.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

static volatile int stop;

static void die(const char *what)
{
	printf("FATAL - %s (errno %d: %s)\n", what, errno, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* XDP_PASS; extra adds that many no-op moves, so the two programs differ */
static int pass_prog(int extra)
{
	struct bpf_insn insns[8] = { 0 };
	int n = 0, fd;

	for (int i = 0; i < extra && n < 6; i++)
		insns[n++] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
						.dst_reg = BPF_REG_0, .imm = 0 };
	insns[n++] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					.dst_reg = BPF_REG_0, .imm = XDP_PASS };
	insns[n++] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "swap_pass", "GPL", insns, n, NULL);
	if (fd < 0)
		die("load an XDP pass program");
	return fd;
}

static void enter_netns(const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die(path);
	close(fd);
}

struct sender {
	int cpu;
	unsigned long sent;
	pthread_t t;
};

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[32] = "netext xdp swap stress";
	cpu_set_t set;
	int fd;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	enter_netns("swa");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	while (!stop) {
		inet_pton(AF_INET, s->sent % 2 ? "198.18.1.2" : "198.18.2.2", &to.sin_addr);
		if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)) > 0)
			s->sent++;
		else
			usleep(100);
		/* bounded, as in netext-native-kmod-test: about 64 packets a millisecond at most */
		if (s->sent % 64 == 0)
			usleep(1000);
	}
	close(fd);
	return NULL;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		printf("FATAL - '%s' failed (%d)\n", cmd, rc);
	return rc;
}

int main(int argc, char **argv)
{
	long swaps = argc > 1 ? atol(argv[1]) : 0, done = 0, cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double seconds = argc > 2 ? atof(argv[2]) : 600, t0;
	struct sender snd[8];
	unsigned long sent = 0;
	int prog[2], cur = 0, if0, if1, failed = 0;

	if (swaps <= 0) {
		fprintf(stderr, "usage: %s SWAPS [SECONDS]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (cpus > 8)
		cpus = 8;
	system("ip netns del swa 2>/dev/null; ip netns del swb 2>/dev/null");
	if (run("ip netns add swa && ip netns add swb") ||
	    run("ip -n swa link add sa0 type veth peer name sb0 netns swb") ||
	    run("ip -n swa link add sa1 type veth peer name sb1 netns swb") ||
	    run("ip -n swa addr add 198.18.1.1/24 dev sa0 && ip -n swa addr add 198.18.2.1/24 dev sa1") ||
	    run("ip -n swb addr add 198.18.1.2/24 dev sb0 && ip -n swb addr add 198.18.2.2/24 dev sb1") ||
	    run("for n in swa swb; do ip -n $n link set lo up; done") ||
	    run("ip -n swa link set sa0 up && ip -n swa link set sa1 up") ||
	    run("ip -n swb link set sb0 up && ip -n swb link set sb1 up") ||
	    run("ip -n swa neigh add 198.18.1.2 lladdr $(ip -n swb -br link show sb0 | awk '{print $3}') dev sa0") ||
	    run("ip -n swa neigh add 198.18.2.2 lladdr $(ip -n swb -br link show sb1 | awk '{print $3}') dev sa1"))
		return 1;
	enter_netns("swb");
	if0 = (int)if_nametoindex("sb0");
	if1 = (int)if_nametoindex("sb1");
	prog[0] = pass_prog(0);
	prog[1] = pass_prog(1);
	if (bpf_xdp_attach(if0, prog[0], XDP_FLAGS_DRV_MODE, NULL) ||
	    bpf_xdp_attach(if1, prog[0], XDP_FLAGS_DRV_MODE, NULL))
		die("attach the XDP pass program to sb0/sb1");
	for (int i = 0; i < cpus; i++) {
		snd[i] = (struct sender){ .cpu = i };
		pthread_create(&snd[i].t, NULL, sender_main, &snd[i]);
	}
	t0 = now();
	while (done < swaps && now() - t0 < seconds) {
		LIBBPF_OPTS(bpf_xdp_attach_opts, o, .old_prog_fd = prog[cur]);

		if (bpf_xdp_attach(done % 2 ? if1 : if0, prog[!cur], XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE,
				   &o)) {
			failed++;
			break;
		}
		if (done % 2)
			cur = !cur;
		done++;
		if (done % 200 == 0)
			printf("swaps: %ld in %.1f s\n", done, now() - t0);
	}
	stop = 1;
	for (int i = 0; i < cpus; i++) {
		pthread_join(snd[i].t, NULL);
		sent += snd[i].sent;
	}
	printf("measure: %ld XDP program swaps in %.1f s on %ld CPUs, %lu packets sent\n", done,
	       now() - t0, cpus, sent);
	bpf_xdp_detach(if0, XDP_FLAGS_DRV_MODE, NULL);
	bpf_xdp_detach(if1, XDP_FLAGS_DRV_MODE, NULL);
	system("ip netns del swa; ip netns del swb");
	if (failed) {
		printf("FAIL - a swap failed (errno %d: %s)\n", errno, strerror(errno));
		return 1;
	}
	printf("PASSED: %ld swaps under traffic\n", done);
	return 0;
}
