// SPDX-License-Identifier: GPL-2.0
/*
 * netext_app_faults.ko: a test-only native app ("faults") whose programs
 * exercise netext.ko's dispatcher, landing pad and cleanup table. The guest test
 * (native_kmod_test.c) runs each through the eBPF stub and checks the verdicts.
 */
#include <linux/module.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "netext_kmod.h"

/* A lock as it would sit in a map value. */
static struct bpf_spin_lock faults_lock;

static int prog_pass(struct netext_ctx *ctx)
{
	return XDP_PASS;
}

static int prog_drop(struct netext_ctx *ctx)
{
	return XDP_DROP;
}

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

/* Never returns by itself: the watchdog ends it. Not const, so not folded away. */
static u32 spin_forever = 1;

static int prog_spin(struct netext_ctx *ctx)
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
};

static struct netext_app *faults_app;

static int __init faults_init(void)
{
	faults_app = netext_app_register(THIS_MODULE, "faults", faults_progs,
					 ARRAY_SIZE(faults_progs), NULL);
	return PTR_ERR_OR_ZERO(faults_app);
}

static void __exit faults_exit(void)
{
	netext_app_unregister(faults_app);
}

module_init(faults_init);
module_exit(faults_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netext test app: verdicts, faults, locks, deep stacks");
