// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher, the landing pad and the watchdog.
 *
 *   XDP/tc hook -> stub (eBPF) -> kfunc netext_xdp_run / netext_tc_run (ctx, handle)
 *     -> slot lookup (RCU), generation check -> netext_enter (netext_enter.S):
 *        this CPU's extension stack -> the app module's program -> verdict
 *
 * A failed run-time check in the program calls netext_fault() (assembly), which
 * records the reason (netext_fault_record) and returns straight to the
 * dispatcher's saved kernel stack; the dispatcher then calls the landing pad,
 * netext_landing_pad(): it releases what the program took through the runtime
 * helpers (the per-CPU cleanup table), counts and logs the fault and picks the
 * program's fault verdict.
 *
 * The watchdog: a per-CPU hrtimer that ticks once per budget while programs
 * run on that CPU (arming an hrtimer per invocation costs far more than the
 * invocation). An invocation still running at two ticks in a row (so for at
 * least the budget, at most twice) is over budget: if the CPU is in the
 * program's own code on the extension stack, the tick rewrites the interrupted
 * context to resume at netext_wd_landing, which enters netext_fault. Inside a
 * runtime helper (or anywhere else) it defers: it looks again soon and sets a
 * pending flag (the low bit of the per-CPU current program) that the helpers
 * check on entry.
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pkt_cls.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <asm/irq_regs.h>

#include "netext_compat.h"
#include "netext_internal.h"

void netext_fault(u32 reason);
EXPORT_SYMBOL_GPL(netext_fault);
unsigned long netext_fault_record(u32 reason);

/*
 * The landing path abandons frames: nothing on it may be probed (a kretprobe's
 * or the graph tracer's return record would outlive its frame). The helpers are
 * untraceable for the same reason (netext_helpers.c).
 */
NOKPROBE_SYMBOL(netext_fault);
NOKPROBE_SYMBOL(netext_wd_landing);
NOKPROBE_SYMBOL(netext_enter);

unsigned int watchdog_us = 500;
module_param(watchdog_us, uint, 0644);
MODULE_PARM_DESC(watchdog_us, "budget of one invocation in microseconds (0: no watchdog)");

/* Fault injection for the init error path's test: fail the stack of this CPU. */
static int inject_stack_fail = -1;
module_param(inject_stack_fail, int, 0444);
MODULE_PARM_DESC(inject_stack_fail, "test only: fail the extension stack allocation of this CPU");

DEFINE_PER_CPU(struct netext_cpu, netext_cpu);
DEFINE_PER_CPU(u64, netext_empty_slot);
DEFINE_PER_CPU(u64, netext_wrong_hook);
DEFINE_PER_CPU(u64, netext_nested);
DEFINE_PER_CPU(u64, netext_stale_slot);

const char *const netext_reason_names[NETEXT_FAULT_MAX] = {
	[NETEXT_FAULT_NONE] = "none",
	[NETEXT_FAULT_BOUNDS] = "out of bounds",
	[NETEXT_FAULT_PANIC] = "panic",
	[NETEXT_FAULT_STACK] = "stack check",
	[NETEXT_FAULT_RESOURCE] = "resource misuse",
	[NETEXT_FAULT_LEAK] = "returned holding a resource",
	[NETEXT_FAULT_TIMEOUT] = "watchdog",
	[NETEXT_FAULT_UNBOUND] = "map not bound",
	[NETEXT_FAULT_REDIRECT] = "redirect without target",
};

int netext_default_verdict(u32 hook)
{
	return hook == NETEXT_HOOK_XDP ? XDP_PASS : TC_ACT_OK;
}

/*
 * What a program may ask to be returned when it faults (an allow-list): verdicts
 * that need no state. A redirect would act on a stale target.
 */
bool netext_fault_verdict_ok(u32 hook, int verdict)
{
	if (hook == NETEXT_HOOK_XDP)
		return verdict == XDP_ABORTED || verdict == XDP_DROP || verdict == XDP_PASS ||
		       verdict == XDP_TX;
	return verdict == TC_ACT_UNSPEC || verdict == TC_ACT_OK || verdict == TC_ACT_SHOT;
}

/* Releases the cleanup table, newest first. */
static void netext_release(struct netext_cpu *c)
{
	while (c->nres) {
		struct netext_res *r = &c->res[--c->nres];

		switch (r->kind) {
		case NETEXT_RES_SPIN:
			raw_spin_unlock((raw_spinlock_t *)r->obj);
			break;
		case NETEXT_RES_HOLD:
			atomic_add(r->delta, (atomic_t *)r->obj);
			break;
		}
	}
}

int netext_count_fault(struct netext_prog *p, u32 reason)
{
	this_cpu_inc(p->stats->faults);
	this_cpu_inc(*p->app->faults);
	WRITE_ONCE(p->last_fault_reason, reason);
	if (__ratelimit(&p->app->rs))
		pr_warn("app %s, program %s: fault: %s (reason %u), verdict %d\n",
			p->app->name, p->name,
			reason < NETEXT_FAULT_MAX ? netext_reason_names[reason] : "unknown",
			reason, p->fault_verdict);
	return p->fault_verdict;
}

/*
 * The landing pad: back on the kernel stack after netext_fault (or a return that
 * left something in the cleanup table). The program is no longer current (the
 * watchdog cannot see it): release, count, log, pick the fault verdict.
 */
static noinline int netext_landing_pad(struct netext_cpu *c, struct netext_prog *p)
{
	u32 reason = c->fault_reason ? c->fault_reason : NETEXT_FAULT_LEAK;

	netext_release(c);
	c->fault_reason = 0;
	return netext_count_fault(p, reason);
}

/*
 * What the kernel's eBPF prologue does for tc programs that write the packet
 * (bpf_unclone_prologue): a cloned skb's head is shared with the clone (a packet
 * socket's copy, a tap), so it is made private before the program may write it.
 * A native program may write any linear byte, so this is done for every cloned
 * skb. On failure the packet is dropped, as eBPF does.
 */
static __always_inline int netext_tc_unclone(struct netext_ctx *nc)
{
	struct sk_buff *skb = nc->skb;

	if (likely(!skb_cloned(skb)))
		return 0;
	if (skb_ensure_writable(skb, skb_headlen(skb)))
		return -ENOMEM;
	nc->data = skb->data;
	nc->data_end = skb->data + skb_headlen(skb);
	return 0;
}

/*
 * A handle that does not run (the slow path, out of line): an empty slot, a stale
 * stub (not the app in its slot now), a stub of the other hook, an app whose maps
 * are not all bound. Each is counted.
 */
static noinline int netext_not_run(struct netext_prog *p, u32 handle, u32 hook)
{
	if (!p) {
		this_cpu_inc(netext_empty_slot);
	} else if (p->handle != handle) {
		this_cpu_inc(netext_stale_slot);
	} else if (p->hook != hook) {
		this_cpu_inc(netext_wrong_hook);
	} else {
		this_cpu_inc(p->stats->invocations);
		return netext_count_fault(p, NETEXT_FAULT_UNBOUND);
	}
	return netext_default_verdict(hook);
}

/* Arms this CPU's watchdog: the first invocation after it went idle. */
static noinline void netext_wd_arm(struct netext_cpu *c, unsigned int budget)
{
	WRITE_ONCE(c->wd_armed, 1);
	c->wd_seen = c->seq;
	hrtimer_start(&c->wd, ns_to_ktime((u64)budget * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

/*
 * After the program: a fault, a resource left held, or a redirect verdict
 * (checked here, out of the fast path).
 */
static noinline int netext_after(struct netext_cpu *c, struct netext_prog *p, int ret,
				 u32 hook)
{
	if (c->landing)
		return netext_landing_pad(c, p);
	/* no target recorded: the kernel would act on a stale one */
	if (!c->redirected)
		return netext_count_fault(p, NETEXT_FAULT_REDIRECT);
	return ret;
}

/*
 * The per-packet path. Nothing here takes rcu_read_lock(): the kfuncs are called
 * by eBPF programs only, which the kernel runs inside an RCU read-side critical
 * section (NAPI and tc with bottom halves off, BPF_PROG_TEST_RUN under
 * rcu_read_lock()), and the registry's synchronize_rcu() waits for those too.
 * hook is a constant (the two kfuncs), so the hook's own checks compile away.
 */
static __always_inline int netext_dispatch(u32 handle, const u32 hook, void *kctx)
{
	struct netext_prog *p;
	struct netext_ctx *nc;
	struct netext_cpu *c;
	unsigned int budget;
	bool bh;
	int ret;

	p = rcu_dereference_check(netext_slots[handle & NETEXT_SLOT_MASK],
				  rcu_read_lock_held() || rcu_read_lock_bh_held() ||
				  rcu_read_lock_sched_held());
	if (unlikely(!p || p->handle != handle || p->hook != hook ||
		     READ_ONCE(p->app->unbound)))
		return netext_not_run(p, handle, hook);
	/*
	 * One extension at a time per CPU: with bottom halves off nothing else
	 * on this CPU can reach a stub. NAPI (softirq) and netpoll (irqs off)
	 * need nothing more; BPF_PROG_TEST_RUN only disables migration.
	 */
	bh = !in_interrupt() && !irqs_disabled();
	if (unlikely(bh))
		local_bh_disable();
	c = this_cpu_ptr(&netext_cpu);
	if (unlikely(c->cur)) {
		this_cpu_inc(netext_nested);
		ret = p->fault_verdict;
		goto out;
	}
	if (hook == NETEXT_HOOK_XDP) {
		struct xdp_buff *xdp = kctx;

		nc = &c->nc_xdp;
		nc->data = xdp->data;
		nc->data_end = xdp->data_end;
		nc->kctx = xdp;
		nc->ifindex = xdp->rxq && xdp->rxq->dev ? xdp->rxq->dev->ifindex : 0;
	} else {
		struct sk_buff *skb = kctx;

		nc = &c->nc_tc;
		nc->data = skb->data;
		nc->data_end = skb->data + skb_headlen(skb);
		nc->kctx = skb;
		nc->skb = skb;
		nc->ifindex = skb->skb_iif;
		if (unlikely(netext_tc_unclone(nc))) {
			this_cpu_inc(p->stats->invocations);
			ret = TC_ACT_SHOT;
			goto out;
		}
	}
	/* the tick (hard irq, this CPU) sees either the old or the new invocation */
	c->seq++;
	barrier();
	WRITE_ONCE(c->cur, p);
	barrier();
	if (unlikely(!READ_ONCE(c->wd_armed))) {
		budget = READ_ONCE(watchdog_us);
		if (budget)
			netext_wd_arm(c, budget);
	}
	c->redirected = 0;
	ret = netext_enter(nc, p->entry, c->entry_sp, &c->saved_sp);
	/*
	 * Off the program, and the watchdog's pending flag with it (one store): a
	 * tick from here on sees no program and cannot set it again for the next
	 * one (of any app), however long the landing pad's log line takes.
	 */
	WRITE_ONCE(c->cur, NULL);
	barrier();
	if (unlikely(c->landing ||
		     ret == (hook == NETEXT_HOOK_XDP ? XDP_REDIRECT : TC_ACT_REDIRECT)))
		ret = netext_after(c, p, ret, hook);
	this_cpu_inc(p->stats->invocations);
out:
	if (unlikely(bh))
		local_bh_enable();
	return ret;
}

__diag_push();
__diag_ignore_all("-Wmissing-prototypes", "kfuncs are called from eBPF stubs only");

/*
 * kfunc for XDP stubs: ctx is really the kernel's struct xdp_buff. Traceable (its
 * __fentry__ nop is one instruction per packet): guest.native_kmod hooks it with
 * kretprobes and the graph tracer across faults and watchdog kills.
 */
noinline int netext_xdp_run(struct xdp_md *ctx, u32 slot)
{
	return netext_dispatch(slot, NETEXT_HOOK_XDP, ctx);
}

/* kfunc for tc (cls_bpf) stubs: ctx is really the struct sk_buff. */
noinline int netext_tc_run(struct __sk_buff *ctx, u32 slot)
{
	return netext_dispatch(slot, NETEXT_HOOK_TC, ctx);
}

/* Called by netext_fault on the extension stack; returns the kernel sp. */
notrace unsigned long netext_fault_record(u32 reason)
{
	struct netext_cpu *c = this_cpu_ptr(&netext_cpu);

	/* no invocation to end: nowhere safe to go */
	BUG_ON(!c->cur);
	c->fault_reason = reason && reason < NETEXT_FAULT_MAX ? reason : NETEXT_FAULT_PANIC;
	return c->saved_sp;
}
NOKPROBE_SYMBOL(netext_fault_record);

__diag_pop();

/*
 * Hard-irq context, on the CPU of the invocation. Only the program's own code,
 * interrupted on the extension stack, may be cut short: it holds nothing the
 * cleanup table does not know about. The interrupted frame is abandoned, as
 * netext_fault abandons it; iret resumes at netext_wd_landing on that stack.
 */
static enum hrtimer_restart netext_wd_fire(struct hrtimer *t)
{
	struct netext_cpu *c = container_of(t, struct netext_cpu, wd);
	struct netext_prog *cur = READ_ONCE(c->cur);
	struct netext_prog *p = netext_cur_prog(cur);
	struct pt_regs *regs = get_irq_regs();
	unsigned long base = (unsigned long)c->stack;
	unsigned int budget = READ_ONCE(watchdog_us);
	u32 seq = READ_ONCE(c->seq);

	/* idle since the last tick (or switched off): stop until the next invocation */
	if (!budget || (!p && seq == c->wd_seen)) {
		WRITE_ONCE(c->wd_armed, 0);
		return HRTIMER_NORESTART;
	}
	if (!p || seq != c->wd_seen) {
		c->wd_seen = seq;
		/*
		 * A whole budget from now, not from when this tick was due: a tick delivered
		 * late (after an invocation began) would otherwise end that invocation early.
		 */
		hrtimer_set_expires(t, ktime_add_ns(hrtimer_cb_get_time(t),
						    (u64)budget * NSEC_PER_USEC));
		return HRTIMER_RESTART;
	}
	/* the same invocation as at the last tick: over budget */
	if (regs && !user_mode(regs) && !c->fault_reason && p->app->owner &&
	    regs->sp > base + NETEXT_STACK_RESERVE / 2 && regs->sp <= base + NETEXT_STACK_SIZE &&
	    within_module_core(regs->ip, p->app->owner)) {
		/* as if called: sp is 8 below a 16-byte boundary at a function's entry */
		regs->sp = ALIGN_DOWN(regs->sp, 16) - 8;
		regs->ip = (unsigned long)netext_wd_landing;
		hrtimer_forward_now(t, ns_to_ktime((u64)budget * NSEC_PER_USEC));
		return HRTIMER_RESTART;
	}
	/* pending: the helpers' next entry ends the program (netext_wd_check) */
	WRITE_ONCE(c->cur, (struct netext_prog *)((unsigned long)p | NETEXT_CUR_PENDING));
	hrtimer_forward_now(t, ns_to_ktime(NETEXT_WD_RETRY_NS));
	return HRTIMER_RESTART;
}

/*
 * The per-CPU state: every timer is initialised before anything can fail, so the
 * error path (and exit) may cancel them all.
 */
int netext_stacks_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct netext_cpu *c = per_cpu_ptr(&netext_cpu, cpu);

		hrtimer_init(&c->wd, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
		c->wd.function = netext_wd_fire;
		c->wd_init = true;
	}
	for_each_possible_cpu(cpu) {
		struct netext_cpu *c = per_cpu_ptr(&netext_cpu, cpu);

		c->stack = cpu == inject_stack_fail ? NULL :
			   vmalloc_node(NETEXT_STACK_SIZE, cpu_to_node(cpu));
		if (!c->stack) {
			netext_stacks_free();
			return -ENOMEM;
		}
		/* painted, for the low-water mark */
		memset(c->stack, NETEXT_STACK_PAINT, NETEXT_STACK_SIZE);
		/* netext_enter keeps the kernel's sp in the top 16 bytes */
		c->entry_sp = c->stack + NETEXT_STACK_SIZE - 16;
		c->nc_xdp = (struct netext_ctx){ .hook = NETEXT_HOOK_XDP };
		c->nc_tc = (struct netext_ctx){ .hook = NETEXT_HOOK_TC };
	}
	return 0;
}

void netext_stacks_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct netext_cpu *c = per_cpu_ptr(&netext_cpu, cpu);

		if (c->wd_init)
			hrtimer_cancel(&c->wd);
		c->wd_init = false;
		vfree(c->stack);
		c->stack = NULL;
		c->entry_sp = NULL;
	}
}

/* The most any CPU's extension stack has been used (programs, helpers, interrupts). */
unsigned long netext_stack_low_water(void)
{
	unsigned long most = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const u8 *s = per_cpu_ptr(&netext_cpu, cpu)->stack;
		unsigned long i = 0;

		if (!s)
			continue;
		while (i < NETEXT_STACK_SIZE && s[i] == NETEXT_STACK_PAINT)
			i++;
		most = max(most, NETEXT_STACK_SIZE - i);
	}
	return most;
}

NETEXT_KFUNCS_START(netext_xdp_kfunc_ids)
BTF_ID_FLAGS(func, netext_xdp_run)
NETEXT_KFUNCS_END(netext_xdp_kfunc_ids)

NETEXT_KFUNCS_START(netext_tc_kfunc_ids)
BTF_ID_FLAGS(func, netext_tc_run)
NETEXT_KFUNCS_END(netext_tc_kfunc_ids)

static const struct btf_kfunc_id_set netext_xdp_kfuncs = {
	.owner = THIS_MODULE,
	.set = &netext_xdp_kfunc_ids,
};

static const struct btf_kfunc_id_set netext_tc_kfuncs = {
	.owner = THIS_MODULE,
	.set = &netext_tc_kfunc_ids,
};

/* No unregister call exists: the sets go with this module's BTF. */
int netext_kfuncs_register(void)
{
	int err = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &netext_xdp_kfuncs);

	if (!err)
		err = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS, &netext_tc_kfuncs);
	return err;
}
