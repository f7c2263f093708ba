// SPDX-License-Identifier: GPL-2.0
/*
 * netext_app_faults.ko: a test-only native app ("faults") whose programs
 * exercise netext.ko's dispatcher, landing pad and cleanup table. The guest test
 * (native_kmod_test.c) runs each through the eBPF stub and checks the verdicts.
 */
#include <linux/module.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>

#include "netext_kmod.h"

/* Locks as they would sit in map values. */
static struct bpf_spin_lock faults_lock, faults_lock_b;
/* An app-level lock (as BMC's flow lock): odd while held. */
static u32 faults_seq;
/* Counted under faults_lock by lock_count on every CPU: a lost update shows a broken lock. */
static u32 lock_count_value;
module_param(lock_count_value, uint, 0444);
/* near_budget: the stack left above the reserve at its deepest point. */
static unsigned long near_left;
module_param(near_left, ulong, 0444);
/* At init: registering a tc program with fault verdict REDIRECT was refused (1). */
static int bad_verdict_refused;
module_param(bad_verdict_refused, int, 0444);
/* faults_traffic's map: BPF_MAP_TYPE_ARRAY, u32 key, u64 value, one entry */
static struct netext_map_desc hits_desc = {
	.name = "hits", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
	.max_entries = 1,
};

static int prog_pass(struct netext_ctx *ctx)
{
	return XDP_PASS;
}

static int prog_drop(struct netext_ctx *ctx)
{
	return XDP_DROP;
}

/* Never returns by itself: the watchdog ends it. Not const, so not folded away. */
static u32 spin_forever = 1;

/* A read past the packet: the bounds check fails. */
static int prog_oob(struct netext_ctx *ctx)
{
	const u8 *p = ctx->data;

	if ((const void *)(p + 4096) >= ctx->data_end)
		netext_fault(NETEXT_FAULT_BOUNDS);
	return p[4096] ? XDP_TX : XDP_ABORTED;
}

/* Panics holding the lock: the landing pad must release it. */
static int prog_panic_locked(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock);
	netext_fault(NETEXT_FAULT_PANIC);
}

/* DROP if the lock is held (a leak from panic_locked), PASS if free. */
static int prog_lock_probe(struct netext_ctx *ctx)
{
	return READ_ONCE(*(u32 *)&faults_lock) ? XDP_DROP : XDP_PASS;
}

/* Takes and releases the lock normally. */
static int prog_lock_ok(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock);
	netext_spin_unlock(&faults_lock);
	return XDP_TX;
}

/*
 * A call chain with 1 KiB of locals per level. TX if it ran on the extension
 * stack and went more than 3 KiB deep, ABORTED otherwise.
 */
static noinline unsigned long deep_level(int level, unsigned long top)
{
	volatile u8 buf[1024];
	unsigned long r, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i + level);
	if (level == 0)
		r = top - netext_stack_check(0);
	else
		r = deep_level(level - 1, top);
	return r + buf[level] - (u8)(level + level);
}

static int prog_deep(struct netext_ctx *ctx)
{
	unsigned long used = deep_level(4, netext_stack_check(0));

	return used > 3 * 1024 && used < 12 * 1024 ? XDP_TX : XDP_ABORTED;
}

/* Asks for more stack than there is: the stack check faults. */
static int prog_stack(struct netext_ctx *ctx)
{
	netext_stack_check(64 * 1024);
	return XDP_TX;
}

/* Returns holding the lock: counted as a leak, released. */
static int prog_leak(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock);
	return XDP_TX;
}


static int __maybe_unused prog_spin(struct netext_ctx *ctx)
{
	while (READ_ONCE(spin_forever))
		cpu_relax();
	return XDP_TX;
}

/* Loops holding a lock: the watchdog ends it, the landing pad releases the lock. */
static int prog_spin_locked(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock);
	while (READ_ONCE(spin_forever))
		cpu_relax();
	netext_spin_unlock(&faults_lock);
	return XDP_TX;
}

/* Loops through a runtime helper: a deferred watchdog ends it at a helper's entry. */
static int prog_spin_helper(struct netext_ctx *ctx)
{
	while (READ_ONCE(spin_forever))
		netext_stack_check(0);
	return XDP_TX;
}

/* The runtime's random numbers and CPU id: TX if 8 draws are not all equal and the CPU
 * is one that exists, DROP otherwise. */
static int prog_rand_cpu(struct netext_ctx *ctx)
{
	u32 first = netext_random_u32(), differ = 0;
	int i;

	for (i = 0; i < 7; i++)
		differ |= netext_random_u32() ^ first;
	return differ && netext_cpu_id() < nr_cpu_ids ? XDP_TX : XDP_DROP;
}

/* XDP_REDIRECT without netext_xdp_redirect(): no target, a fault. */
static int prog_redirect_nowhere(struct netext_ctx *ctx)
{
	return XDP_REDIRECT;
}

/* Two locks at once: refused (one at a time), so AB on one CPU and BA on another cannot
 * deadlock. The fault verdict is PASS. */
static int prog_lock_ab(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock);
	netext_spin_lock(&faults_lock_b);
	netext_spin_unlock(&faults_lock_b);
	netext_spin_unlock(&faults_lock);
	return XDP_TX;
}

static int prog_lock_ba(struct netext_ctx *ctx)
{
	netext_spin_lock(&faults_lock_b);
	netext_spin_lock(&faults_lock);
	netext_spin_unlock(&faults_lock);
	netext_spin_unlock(&faults_lock_b);
	return XDP_TX;
}

/* A read-modify-write under the lock, slow enough for the other CPU to try meanwhile. */
static int prog_lock_count(struct netext_ctx *ctx)
{
	u32 v;
	int i;

	netext_spin_lock(&faults_lock);
	v = READ_ONCE(lock_count_value);
	for (i = 0; i < 50; i++)
		cpu_relax();
	WRITE_ONCE(lock_count_value, v + 1);
	netext_spin_unlock(&faults_lock);
	return XDP_TX;
}

/* Takes the app-level lock (odd, recorded), then faults: the landing pad releases it. */
static int prog_hold_panic(struct netext_ctx *ctx)
{
	if (!netext_trylock(&faults_seq))
		return XDP_ABORTED;
	netext_fault(NETEXT_FAULT_PANIC);
}

/* Takes it and returns holding it: a leak, released. */
static int prog_hold_leak(struct netext_ctx *ctx)
{
	if (!netext_trylock(&faults_seq))
		return XDP_ABORTED;
	return XDP_TX;
}

/* Takes and releases it itself: TX. */
static int prog_hold_ok(struct netext_ctx *ctx)
{
	if (!netext_trylock(&faults_seq))
		return XDP_ABORTED;
	netext_unlock(&faults_seq);
	return XDP_TX;
}

/* DROP if the app-level lock is held, PASS if free. */
static int prog_hold_probe(struct netext_ctx *ctx)
{
	return READ_ONCE(faults_seq) & 1 ? XDP_DROP : XDP_PASS;
}

/* Calls helpers at once: TX unless a stale watchdog state ends it (TIMEOUT, DROP). */
static int prog_helper_first(struct netext_ctx *ctx)
{
	return netext_cpu_id() < nr_cpu_ids && netext_now_ns() ? XDP_TX : XDP_ABORTED;
}

/*
 * Goes down the stack in 512-byte frames until less than 1 KiB is left above the
 * reserve, then stays there (calling a helper) for about 300 us: interrupts that
 * arrive meanwhile run below it, in the reserve. PASS.
 */
static noinline unsigned long near_level(unsigned int level)
{
	volatile u8 buf[512];
	unsigned long left = netext_stack_check(0), r;

	buf[0] = (u8)level;
	if (left > 1024 + 512 + 256 && level < 64) {
		r = near_level(level + 1);
	} else {
		u64 end = netext_now_ns() + 300 * NSEC_PER_USEC;

		WRITE_ONCE(near_left, left);
		while (netext_now_ns() < end)
			cpu_relax();
		r = left;
	}
	return r + buf[0] - (u8)level;
}

static int prog_near_budget(struct netext_ctx *ctx)
{
	return near_level(0) < 2048 ? XDP_PASS : XDP_ABORTED;
}

/*
 * For traffic: the first UDP payload byte picks what happens. 'p' pass, 'b' out of
 * bounds, 'l' panic holding a lock, 'w' an endless loop (the watchdog), 'h' an endless
 * loop through a helper, 'r' two locks, 'k' an app-level hold then a panic. Every
 * outcome is XDP_PASS: each packet reaches the stack, faulted or not.
 */
static int prog_mixed(struct netext_ctx *ctx)
{
	static const u32 zero;
	u64 *hits = netext_map_lookup(&hits_desc, &zero);
	const u8 *d = ctx->data;
	const struct iphdr *ip = (const void *)(d + ETH_HLEN);
	const u8 *payload = d + ETH_HLEN + sizeof(*ip) + sizeof(struct udphdr);

	if (hits)
		atomic64_inc((atomic64_t *)hits);
	if ((const void *)(payload + 1) > ctx->data_end ||
	    ((const struct ethhdr *)d)->h_proto != htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	switch (*payload) {
	case 'b':
		prog_oob(ctx);
		break;
	case 'l':
		netext_spin_lock(&faults_lock);
		netext_fault(NETEXT_FAULT_PANIC);
	case 'w':
		while (READ_ONCE(spin_forever))
			cpu_relax();
		break;
	case 'h':
		while (READ_ONCE(spin_forever))
			netext_stack_check(0);
		break;
	case 'r':
		prog_lock_ab(ctx);
		break;
	case 'k':
		prog_hold_panic(ctx);
		break;
	}
	return XDP_PASS;
}

/* tc: writes the first UDP payload byte ('W'); OK. */
static int prog_tc_write(struct netext_ctx *ctx)
{
	u8 *d = ctx->data;
	const struct iphdr *ip = (const void *)(d + ETH_HLEN);
	u8 *payload = d + ETH_HLEN + sizeof(*ip) + sizeof(struct udphdr);

	if ((void *)(payload + 1) <= ctx->data_end &&
	    ((const struct ethhdr *)d)->h_proto == htons(ETH_P_IP) && ip->ihl == 5 &&
	    ip->protocol == IPPROTO_UDP)
		*payload = 'W';
	return TC_ACT_OK;
}

/* tc: TC_ACT_REDIRECT without a target: a fault (its verdict OK). */
static int prog_tc_redirect(struct netext_ctx *ctx)
{
	return TC_ACT_REDIRECT;
}

static int prog_tc_shot(struct netext_ctx *ctx)
{
	return ctx->skb && ctx->data_end > ctx->data ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

static const struct netext_prog_desc faults_progs[] = {
	{ .name = "pass", .hook = NETEXT_HOOK_XDP, .entry = prog_pass },
	{ .name = "drop", .hook = NETEXT_HOOK_XDP, .entry = prog_drop },
	{ .name = "oob", .hook = NETEXT_HOOK_XDP, .entry = prog_oob,
	  .flags = NETEXT_PROG_F_FAULT_VERDICT, .fault_verdict = XDP_DROP },
	{ .name = "panic_locked", .hook = NETEXT_HOOK_XDP, .entry = prog_panic_locked },
	{ .name = "lock_probe", .hook = NETEXT_HOOK_XDP, .entry = prog_lock_probe },
	{ .name = "lock_ok", .hook = NETEXT_HOOK_XDP, .entry = prog_lock_ok },
	{ .name = "deep", .hook = NETEXT_HOOK_XDP, .entry = prog_deep },
	{ .name = "stack", .hook = NETEXT_HOOK_XDP, .entry = prog_stack },
	{ .name = "leak", .hook = NETEXT_HOOK_XDP, .entry = prog_leak },
	{ .name = "tc_shot", .hook = NETEXT_HOOK_TC, .entry = prog_tc_shot },
	{ .name = "spin", .hook = NETEXT_HOOK_XDP, .entry = prog_spin,
	  .flags = NETEXT_PROG_F_FAULT_VERDICT, .fault_verdict = XDP_DROP },
	{ .name = "spin_helper", .hook = NETEXT_HOOK_XDP, .entry = prog_spin_helper },
	{ .name = "redirect_nowhere", .hook = NETEXT_HOOK_XDP, .entry = prog_redirect_nowhere },
	{ .name = "rand_cpu", .hook = NETEXT_HOOK_XDP, .entry = prog_rand_cpu },
	{ .name = "spin_locked", .hook = NETEXT_HOOK_XDP, .entry = prog_spin_locked },
	{ .name = "lock_ab", .hook = NETEXT_HOOK_XDP, .entry = prog_lock_ab },
	{ .name = "lock_ba", .hook = NETEXT_HOOK_XDP, .entry = prog_lock_ba },
	{ .name = "lock_count", .hook = NETEXT_HOOK_XDP, .entry = prog_lock_count },
	{ .name = "hold_panic", .hook = NETEXT_HOOK_XDP, .entry = prog_hold_panic },
	{ .name = "hold_leak", .hook = NETEXT_HOOK_XDP, .entry = prog_hold_leak },
	{ .name = "hold_ok", .hook = NETEXT_HOOK_XDP, .entry = prog_hold_ok },
	{ .name = "hold_probe", .hook = NETEXT_HOOK_XDP, .entry = prog_hold_probe },
	{ .name = "helper_first", .hook = NETEXT_HOOK_XDP, .entry = prog_helper_first,
	  .flags = NETEXT_PROG_F_FAULT_VERDICT, .fault_verdict = XDP_DROP },
	{ .name = "tc_write", .hook = NETEXT_HOOK_TC, .entry = prog_tc_write },
	{ .name = "tc_redirect", .hook = NETEXT_HOOK_TC, .entry = prog_tc_redirect },
};

/*
 * The app the traffic tests attach to veths ("faults_traffic"): it has a map (an
 * array of one u64 counting invocations of mixed), so it runs only while the map
 * is bound, and can be unbound under load.
 */
static const struct netext_prog_desc traffic_progs[] = {
	{ .name = "mixed", .hook = NETEXT_HOOK_XDP, .entry = prog_mixed },
	{ .name = "near_budget", .hook = NETEXT_HOOK_XDP, .entry = prog_near_budget },
};

static struct netext_map_desc *const traffic_maps[] = { &hits_desc };

/* Must be refused: a tc fault verdict that redirects. */
static const struct netext_prog_desc bad_progs[] = {
	{ .name = "bad", .hook = NETEXT_HOOK_TC, .entry = prog_tc_shot,
	  .flags = NETEXT_PROG_F_FAULT_VERDICT, .fault_verdict = TC_ACT_REDIRECT },
};

static struct netext_app *faults_app, *traffic_app;

static int __init faults_init(void)
{
	struct netext_app *bad = netext_app_register(THIS_MODULE, "faults_bad", bad_progs,
						     ARRAY_SIZE(bad_progs), NULL);

	bad_verdict_refused = PTR_ERR_OR_ZERO(bad) == -EINVAL;
	if (!IS_ERR(bad))
		netext_app_unregister(bad);
	faults_app = netext_app_register(THIS_MODULE, "faults", faults_progs,
					 ARRAY_SIZE(faults_progs), NULL);
	if (IS_ERR(faults_app))
		return PTR_ERR(faults_app);
	traffic_app = netext_app_register_maps(THIS_MODULE, "faults_traffic", traffic_progs,
					       ARRAY_SIZE(traffic_progs), NULL, traffic_maps,
					       ARRAY_SIZE(traffic_maps));
	if (IS_ERR(traffic_app)) {
		netext_app_unregister(faults_app);
		return PTR_ERR(traffic_app);
	}
	return 0;
}

static void __exit faults_exit(void)
{
	netext_app_unregister(traffic_app);
	netext_app_unregister(faults_app);
}

module_init(faults_init);
module_exit(faults_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netext test app: verdicts, faults, locks, deep stacks");
