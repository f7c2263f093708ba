// SPDX-License-Identifier: GPL-2.0
/*
 * netext.ko: runs native (x86-64) data-plane programs from a tiny eBPF stub.
 *
 *   XDP/tc hook -> stub (eBPF) -> kfunc netext_xdp_run / netext_tc_run
 *     -> slot lookup (RCU) -> netext_enter: per-CPU extension stack
 *     -> the app module's program -> verdict
 *
 * A failed run-time check in the program calls netext_fault(), which returns
 * straight to the dispatcher (the landing pad); the dispatcher releases what the
 * program took through the runtime helpers (the per-CPU cleanup table), counts
 * and logs the fault, and returns the program's fault verdict.
 *
 * Maps are real BPF maps bound through /dev/netext; programs of an app with an
 * unbound map are not run (fault verdict, counted).
 *
 * The watchdog: a per-CPU hrtimer that ticks once per budget while programs
 * run on that CPU (arming an hrtimer per invocation costs far more than the
 * invocation). An invocation still running at two ticks in a row (so for at
 * least the budget, at most twice) is over budget: if the CPU is in
 * the program's own code on the extension stack, the tick rewrites the
 * interrupted context to resume at netext_wd_landing, which enters the landing
 * pad. Inside a runtime helper (or anywhere else) it defers: it looks again
 * soon and sets a pending flag that the helpers check on entry.
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/inetdevice.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ip_fib.h>
#include <net/ipv6_stubs.h>
#include <net/lwtunnel.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/xdp.h>
#include <asm/irq_regs.h>

/* netext_fault is defined in netext_dispatch.S and exported below */
#define NETEXT_KMOD_INTERNAL
#include "netext_kmod.h"

void netext_fault(u32 reason);
EXPORT_SYMBOL_GPL(netext_fault);
/* The watchdog's resume point: netext_fault(NETEXT_FAULT_TIMEOUT). */
void netext_wd_landing(void);

static unsigned int watchdog_us = 500;
module_param(watchdog_us, uint, 0644);
MODULE_PARM_DESC(watchdog_us, "budget of one invocation in microseconds (0: no watchdog)");

/* How soon a deferred watchdog looks again. */
#define NETEXT_WD_RETRY_NS	(20 * NSEC_PER_USEC)

/* For objtool: calls to the landing pad do not come back. */
#define netext_fault_here(reason) do { __netext_fault_call(reason); unreachable(); } while (0)

/*
 * Each CPU's extension stack is its own vmalloc area. vmalloc leaves an
 * unmapped guard page after every area, so running off the bottom of ours hits
 * the guard page of the area below (or unmapped space) and running off the top
 * hits our own: a fault, never silent corruption. The build-time stack bound
 * must stay under NETEXT_STACK_SIZE - NETEXT_STACK_RESERVE; the reserve is for
 * interrupt entry (which lands on this stack before moving to the irq stack)
 * and for netext_fault itself.
 */
#define NETEXT_STACK_SIZE	(16 * 1024)
#define NETEXT_STACK_RESERVE	2048
#define NETEXT_CLEANUP_MAX	4

enum netext_res_kind {
	NETEXT_RES_SPIN = 1,
};

struct netext_res {
	u32 kind;
	void *obj;
	unsigned long flags;
};

struct netext_cpu {
	unsigned long saved_sp;		/* kernel sp for the landing pad */
	void *stack;			/* base of the extension stack */
	struct netext_prog *cur;	/* running program, NULL if none */
	u32 fault_reason;
	u32 nres;
	struct netext_res res[NETEXT_CLEANUP_MAX];	/* the cleanup table */
	struct hrtimer wd;		/* the watchdog, pinned to this CPU */
	u32 wd_pending;			/* the budget ran out inside a helper */
	u32 wd_armed;			/* the watchdog ticks */
	u32 seq;			/* invocations started here */
	u32 wd_seen;			/* seq at the watchdog's last tick */
	u32 redirected;			/* netext_xdp_redirect() in this invocation */
};

struct netext_stats {
	u64 invocations;
	u64 faults;
};

struct netext_prog {
	struct netext_app *app;
	netext_entry_t entry;
	u32 hook;
	u32 slot;
	int fault_verdict;
	u32 last_fault_reason;
	struct netext_stats __percpu *stats;
	char name[NETEXT_NAME_LEN];
};

struct netext_app {
	struct list_head node;
	struct module *owner;
	u64 __percpu *faults;
	struct ratelimit_state rs;
	char name[NETEXT_NAME_LEN];
	struct netext_map_desc *const *maps;	/* in the app module */
	unsigned int nr_maps;
	unsigned int unbound;			/* maps not bound yet: the app does not run */
	unsigned int nr;
	struct netext_prog progs[];
};

static DEFINE_PER_CPU(struct netext_cpu, netext_cpu);
static DEFINE_PER_CPU(u64, netext_empty_slot);
static DEFINE_PER_CPU(u64, netext_wrong_hook);
static DEFINE_PER_CPU(u64, netext_nested);

static struct netext_prog __rcu *netext_slots[NETEXT_MAX_SLOTS];
static LIST_HEAD(netext_apps);
static DEFINE_MUTEX(netext_lock);	/* slots and the app list, for writers */

int netext_enter(struct netext_ctx *ctx, netext_entry_t entry, void *stack_top,
		 unsigned long *saved_sp);
unsigned long netext_fault_record(u32 reason);

static const char *const netext_reason_names[NETEXT_FAULT_MAX] = {
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

static int netext_default_verdict(u32 hook)
{
	return hook == NETEXT_HOOK_XDP ? XDP_PASS : TC_ACT_OK;
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
		}
	}
}

static int netext_count_fault(struct netext_prog *p, u32 reason)
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

/* Back from the landing pad (or a return that leaked): on the kernel stack. */
static noinline int netext_landed(struct netext_cpu *c, struct netext_prog *p)
{
	u32 reason = c->fault_reason ? c->fault_reason : NETEXT_FAULT_LEAK;

	netext_release(c);
	c->fault_reason = 0;
	return netext_count_fault(p, reason);
}

static __always_inline int netext_dispatch(struct netext_ctx *nc, u32 slot)
{
	struct netext_prog *p;
	struct netext_cpu *c;
	unsigned int budget;
	bool bh;
	int ret;

	rcu_read_lock();
	p = likely(slot < NETEXT_MAX_SLOTS) ? rcu_dereference(netext_slots[slot]) : NULL;
	if (unlikely(!p)) {
		this_cpu_inc(netext_empty_slot);
		ret = netext_default_verdict(nc->hook);
		goto out;
	}
	if (unlikely(p->hook != nc->hook)) {
		this_cpu_inc(netext_wrong_hook);
		ret = netext_default_verdict(nc->hook);
		goto out;
	}
	if (unlikely(READ_ONCE(p->app->unbound))) {
		this_cpu_inc(p->stats->invocations);
		ret = netext_count_fault(p, NETEXT_FAULT_UNBOUND);
		goto out;
	}
	/*
	 * One extension at a time per CPU: with bottom halves off nothing else
	 * on this CPU can reach a stub. NAPI (softirq) and netpoll (irqs off)
	 * need nothing more; BPF_PROG_TEST_RUN only disables migration.
	 */
	bh = !in_interrupt() && !irqs_disabled();
	if (bh)
		local_bh_disable();
	c = this_cpu_ptr(&netext_cpu);
	if (unlikely(c->cur)) {
		this_cpu_inc(netext_nested);
		ret = p->fault_verdict;
		goto out_bh;
	}
	/* the tick (hard irq, this CPU) sees either the old or the new invocation */
	WRITE_ONCE(c->seq, c->seq + 1);
	WRITE_ONCE(c->cur, p);
	barrier();
	budget = READ_ONCE(watchdog_us);
	if (unlikely(budget && !READ_ONCE(c->wd_armed))) {
		WRITE_ONCE(c->wd_armed, 1);
		c->wd_seen = c->seq;
		hrtimer_start(&c->wd, ns_to_ktime((u64)budget * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_PINNED_HARD);
	}
	c->redirected = 0;
	ret = netext_enter(nc, p->entry, c->stack + NETEXT_STACK_SIZE, &c->saved_sp);
	c->wd_pending = 0;
	if (unlikely(c->fault_reason || c->nres))
		ret = netext_landed(c, p);
	else if (unlikely(ret == XDP_REDIRECT && nc->hook == NETEXT_HOOK_XDP && !c->redirected))
		/* no target recorded: xdp_do_redirect() would act on a stale one */
		ret = netext_count_fault(p, NETEXT_FAULT_REDIRECT);
	WRITE_ONCE(c->cur, NULL);
	this_cpu_inc(p->stats->invocations);
out_bh:
	if (bh)
		local_bh_enable();
out:
	rcu_read_unlock();
	return ret;
}

__diag_push();
__diag_ignore_all("-Wmissing-prototypes", "kfuncs are called from eBPF stubs only");

/* kfunc for XDP stubs: ctx is really the kernel's struct xdp_buff. */
noinline int netext_xdp_run(struct xdp_md *ctx, u32 slot)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct netext_ctx nc = {
		.data = xdp->data,
		.data_end = xdp->data_end,
		.kctx = xdp,
		.ifindex = xdp->rxq && xdp->rxq->dev ? xdp->rxq->dev->ifindex : 0,
		.hook = NETEXT_HOOK_XDP,
	};

	return netext_dispatch(&nc, slot);
}

/* kfunc for tc (cls_bpf) stubs: ctx is really the struct sk_buff. */
noinline int netext_tc_run(struct __sk_buff *ctx, u32 slot)
{
	struct sk_buff *skb = (struct sk_buff *)ctx;
	struct netext_ctx nc = {
		.data = skb->data,
		.data_end = skb->data + skb_headlen(skb),
		.kctx = skb,
		.skb = skb,
		.ifindex = skb->skb_iif,
		.hook = NETEXT_HOOK_TC,
	};

	return netext_dispatch(&nc, slot);
}

/* Called by netext_fault on the extension stack; returns the kernel sp. */
unsigned long netext_fault_record(u32 reason)
{
	struct netext_cpu *c = this_cpu_ptr(&netext_cpu);

	/* no invocation to end: nowhere safe to go */
	BUG_ON(!c->cur);
	c->fault_reason = reason && reason < NETEXT_FAULT_MAX ? reason : NETEXT_FAULT_PANIC;
	return c->saved_sp;
}

__diag_pop();

/*
 * Hard-irq context, on the CPU of the invocation. Only the program's own code,
 * interrupted on the extension stack, may be cut short: it holds nothing the
 * cleanup table does not know about (a held bpf_spin_lock keeps irqs off, so
 * the timer cannot land there). The interrupted frame is abandoned, as
 * netext_fault abandons it; iret resumes at netext_wd_landing on that stack.
 */
static enum hrtimer_restart netext_wd_fire(struct hrtimer *t)
{
	struct netext_cpu *c = container_of(t, struct netext_cpu, wd);
	struct netext_prog *p = READ_ONCE(c->cur);
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
	WRITE_ONCE(c->wd_pending, 1);
	hrtimer_forward_now(t, ns_to_ktime(NETEXT_WD_RETRY_NS));
	return HRTIMER_RESTART;
}

/* Helpers call this on entry: a deferred watchdog ends the program here. */
static __always_inline void netext_wd_check(void)
{
	if (unlikely(this_cpu_read(netext_cpu.wd_pending)))
		netext_fault_here(NETEXT_FAULT_TIMEOUT);
}

BTF_SET8_START(netext_xdp_kfunc_ids)
BTF_ID_FLAGS(func, netext_xdp_run)
BTF_SET8_END(netext_xdp_kfunc_ids)

BTF_SET8_START(netext_tc_kfunc_ids)
BTF_ID_FLAGS(func, netext_tc_run)
BTF_SET8_END(netext_tc_kfunc_ids)

static const struct btf_kfunc_id_set netext_xdp_kfuncs = {
	.owner = THIS_MODULE,
	.set = &netext_xdp_kfunc_ids,
};

static const struct btf_kfunc_id_set netext_tc_kfuncs = {
	.owner = THIS_MODULE,
	.set = &netext_tc_kfunc_ids,
};

/* Runtime helpers: only from a running program (c->cur is set). */

static struct netext_cpu *netext_running(void)
{
	struct netext_cpu *c = this_cpu_ptr(&netext_cpu);

	BUG_ON(!c->cur);
	netext_wd_check();
	return c;
}

/*
 * bpf_spin_lock, with interrupts left on: the dispatcher runs programs with bottom halves
 * (so preemption) off, and no hard-interrupt code takes these locks (tracing programs may
 * not use bpf_spin_lock; BPF_F_LOCK from user space runs in process context, which the
 * softirq here cannot interrupt on this CPU). So the watchdog's timer still fires while an
 * app holds a lock, and an app looping with a lock held is ended like any other, the lock
 * released by the landing pad.
 */
void netext_spin_lock(struct bpf_spin_lock *lock)
{
	struct netext_cpu *c = netext_running();
	u32 i;

	BUILD_BUG_ON(sizeof(raw_spinlock_t) != sizeof(struct bpf_spin_lock));
	/* a full table, or taking a lock this invocation holds, would deadlock */
	if (c->nres >= NETEXT_CLEANUP_MAX)
		netext_fault_here(NETEXT_FAULT_RESOURCE);
	for (i = 0; i < c->nres; i++)
		if (c->res[i].obj == lock)
			netext_fault_here(NETEXT_FAULT_RESOURCE);
	raw_spin_lock((raw_spinlock_t *)lock);
	c->res[c->nres++] = (struct netext_res){ NETEXT_RES_SPIN, lock, 0 };
}
EXPORT_SYMBOL_GPL(netext_spin_lock);

void netext_spin_unlock(struct bpf_spin_lock *lock)
{
	struct netext_cpu *c = netext_running();
	struct netext_res r;

	/* locks nest: only the newest may go */
	if (!c->nres || c->res[c->nres - 1].obj != lock ||
	    c->res[c->nres - 1].kind != NETEXT_RES_SPIN)
		netext_fault_here(NETEXT_FAULT_RESOURCE);
	r = c->res[--c->nres];
	raw_spin_unlock((raw_spinlock_t *)r.obj);
}
EXPORT_SYMBOL_GPL(netext_spin_unlock);

unsigned long netext_stack_check(unsigned long need)
{
	struct netext_cpu *c = netext_running();
	unsigned long sp = current_stack_pointer;
	unsigned long base = (unsigned long)c->stack;
	unsigned long left;

	if (sp <= base || sp > base + NETEXT_STACK_SIZE)
		netext_fault_here(NETEXT_FAULT_STACK);
	left = sp - base;
	if (left < need + NETEXT_STACK_RESERVE)
		netext_fault_here(NETEXT_FAULT_STACK);
	return left - NETEXT_STACK_RESERVE;
}
EXPORT_SYMBOL_GPL(netext_stack_check);

/*
 * Maps: what bpf_map_lookup_elem & co. do for a BPF program (kernel/bpf/helpers.c),
 * under the dispatcher's rcu_read_lock with bottom halves off. A map unbound while
 * the program runs is seen as NULL here (unbind waits for RCU before the put).
 */
static struct bpf_map *netext_bound(struct netext_map_desc *d)
{
	struct bpf_map *map = READ_ONCE(d->map);

	netext_wd_check();
	if (unlikely(!map))
		netext_fault_here(NETEXT_FAULT_UNBOUND);
	return map;
}

void *netext_map_lookup(struct netext_map_desc *d, const void *key)
{
	struct bpf_map *map = netext_bound(d);

	return map->ops->map_lookup_elem(map, (void *)key);
}
EXPORT_SYMBOL_GPL(netext_map_lookup);

long netext_map_update(struct netext_map_desc *d, const void *key, const void *value, u64 flags)
{
	struct bpf_map *map = netext_bound(d);

	return map->ops->map_update_elem(map, (void *)key, (void *)value, flags);
}
EXPORT_SYMBOL_GPL(netext_map_update);

long netext_map_delete(struct netext_map_desc *d, const void *key)
{
	struct bpf_map *map = netext_bound(d);

	return map->ops->map_delete_elem(map, (void *)key);
}
EXPORT_SYMBOL_GPL(netext_map_delete);

/*
 * XDP head/tail adjustment with bpf_xdp_adjust_head/tail's checks (Linux 6.1,
 * net/core/filter.c) for linear buffers; multi-buffer frames are refused.
 */
static struct xdp_buff *netext_xdp_buff(const struct netext_ctx *nc)
{
	netext_wd_check();
	if (unlikely(nc->hook != NETEXT_HOOK_XDP))
		netext_fault_here(NETEXT_FAULT_PANIC);
	return nc->kctx;
}

int netext_xdp_adjust_head(struct netext_ctx *nc, int offset)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);
	void *xdp_frame_end = xdp->data_hard_start + sizeof(struct xdp_frame);
	unsigned long metalen = xdp_data_meta_unsupported(xdp) ? 0 : xdp->data - xdp->data_meta;
	void *data_start = xdp_frame_end + metalen;
	void *data = xdp->data + offset;

	if (unlikely(data < data_start || data > xdp->data_end - ETH_HLEN))
		return -EINVAL;
	if (metalen)
		memmove(xdp->data_meta + offset, xdp->data_meta, metalen);
	xdp->data_meta += offset;
	xdp->data = data;
	nc->data = data;
	return 0;
}
EXPORT_SYMBOL_GPL(netext_xdp_adjust_head);

int netext_xdp_adjust_tail(struct netext_ctx *nc, int offset)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);
	void *data_hard_end = xdp_data_hard_end(xdp);
	void *data_end = xdp->data_end + offset;

	if (unlikely(xdp_buff_has_frags(xdp)))
		return -EOPNOTSUPP;
	if (unlikely(data_end > data_hard_end))
		return -EINVAL;
	if (unlikely(xdp->frame_sz > PAGE_SIZE))
		return -EINVAL;
	if (unlikely(data_end < xdp->data + ETH_HLEN))
		return -EINVAL;
	/* the grown area may hold old kernel memory */
	if (offset > 0)
		memset(xdp->data_end, 0, offset);
	xdp->data_end = data_end;
	nc->data_end = data_end;
	return 0;
}
EXPORT_SYMBOL_GPL(netext_xdp_adjust_tail);

u32 netext_xdp_rx_queue_index(const struct netext_ctx *nc)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);

	return xdp->rxq ? xdp->rxq->queue_index : 0;
}
EXPORT_SYMBOL_GPL(netext_xdp_rx_queue_index);

int netext_xdp_redirect(struct netext_ctx *nc, u32 ifindex)
{
	struct netext_cpu *c = netext_running();
	struct bpf_redirect_info *ri;

	netext_xdp_buff(nc);
	/* what bpf_redirect() does for XDP: map type UNSPEC, map id INT_MAX = an ifindex */
	ri = this_cpu_ptr(&bpf_redirect_info);
	ri->tgt_index = ifindex;
	ri->map_id = INT_MAX;
	ri->map_type = BPF_MAP_TYPE_UNSPEC;
	c->redirected = 1;
	return XDP_REDIRECT;
}
EXPORT_SYMBOL_GPL(netext_xdp_redirect);

/*
 * FIB lookups with the semantics of bpf_fib_lookup() (flags 0, the MTU checked
 * as for XDP) in Linux 6.1, net/core/filter.c, written against what the kernel
 * exports to modules. Runs under the dispatcher's rcu_read_lock with bottom
 * halves off, as the BPF helper does: the _noref lookups are safe.
 */
static int netext_fib_done(struct netext_fib *p, struct net_device *dev,
			   struct neighbour *neigh)
{
	if (!neigh || !(READ_ONCE(neigh->nud_state) & NUD_VALID))
		return BPF_FIB_LKUP_RET_NO_NEIGH;
	memcpy(p->dmac, neigh->ha, ETH_ALEN);
	memcpy(p->smac, dev->dev_addr, ETH_ALEN);
	return BPF_FIB_LKUP_RET_SUCCESS;
}

/* ip_mtu_from_fib_result() without the path-MTU exceptions (route.c keeps them private) */
static u32 netext_fib4_mtu(struct net *net, const struct fib_result *res)
{
	struct fib_nh_common *nhc = res->nhc;
	struct fib_info *fi = res->fi;
	u32 mtu = 0;

	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_use_pmtu) ||
	    fi->fib_metrics->metrics[RTAX_LOCK - 1] & (1 << RTAX_MTU))
		mtu = fi->fib_mtu;
	if (!mtu)
		mtu = min_t(u32, READ_ONCE(nhc->nhc_dev->mtu), IP_MAX_MTU);
	return mtu - lwtunnel_headroom(nhc->nhc_lwtstate, mtu);
}

static int netext_fib4(struct net *net, struct netext_fib *p)
{
	struct fib_nh_common *nhc;
	struct in_device *in_dev;
	struct neighbour *neigh;
	struct net_device *dev;
	struct fib_result res;
	struct flowi4 fl4;
	u32 mtu;
	int err;

	dev = dev_get_by_index_rcu(net, p->ifindex);
	if (unlikely(!dev))
		return -ENODEV;
	in_dev = __in_dev_get_rcu(dev);
	if (unlikely(!in_dev || !IN_DEV_FORWARD(in_dev)))
		return BPF_FIB_LKUP_RET_FWD_DISABLED;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_iif = p->ifindex;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.daddr = p->dst[0];
	fl4.saddr = p->src[0];
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	err = fib_lookup(net, &fl4, &res, FIB_LOOKUP_NOREF);
	if (err) {
		switch (err) {
		case -EINVAL:
			return BPF_FIB_LKUP_RET_BLACKHOLE;
		case -EHOSTUNREACH:
			return BPF_FIB_LKUP_RET_UNREACHABLE;
		case -EACCES:
			return BPF_FIB_LKUP_RET_PROHIBIT;
		default:
			return BPF_FIB_LKUP_RET_NOT_FWDED;
		}
	}
	if (res.type != RTN_UNICAST || !res.fi || !res.nhc)
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	/* fib_select_path() and the multipath hash are not exported: the stack forwards */
	if (fib_info_num_path(res.fi) > 1)
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	mtu = netext_fib4_mtu(net, &res);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return BPF_FIB_LKUP_RET_FRAG_NEEDED;
	}
	nhc = res.nhc;
	if (nhc->nhc_lwtstate)
		return BPF_FIB_LKUP_RET_UNSUPP_LWT;
	dev = nhc->nhc_dev;
	p->ifindex = dev->ifindex;
	if (nhc->nhc_gw_family == AF_INET6) {
		if (!ipv6_stub->nd_tbl)
			return BPF_FIB_LKUP_RET_NOT_FWDED;
		p->family = AF_INET6;
		memcpy(p->dst, &nhc->nhc_gw.ipv6, sizeof(p->dst));
		neigh = __ipv6_neigh_lookup_noref_stub(dev, p->dst);
	} else {
		if (nhc->nhc_gw_family)
			p->dst[0] = nhc->nhc_gw.ipv4;
		neigh = __ipv4_neigh_lookup_noref(dev, (__force u32)p->dst[0]);
	}
	return netext_fib_done(p, dev, neigh);
}

static int netext_fib6(struct net *net, struct netext_fib *p)
{
	struct in6_addr *src = (struct in6_addr *)p->src;
	struct in6_addr *dst = (struct in6_addr *)p->dst;
	struct fib6_result res = {};
	struct neighbour *neigh;
	struct net_device *dev;
	struct inet6_dev *idev;
	struct flowi6 fl6;
	int oif, err;
	u32 mtu;

	BUILD_BUG_ON(sizeof(p->src) != sizeof(struct in6_addr));
	/* link-local (and multicast) addresses are never forwarded */
	if (rt6_need_strict(dst) || rt6_need_strict(src))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	dev = dev_get_by_index_rcu(net, p->ifindex);
	if (unlikely(!dev))
		return -ENODEV;
	/* IPv6 off (ipv6.disable=1): the stub has no tables */
	if (unlikely(!ipv6_stub->nd_tbl))
		return -EAFNOSUPPORT;
	idev = __in6_dev_get_safely(dev);
	if (unlikely(!idev || !READ_ONCE(idev->cnf.forwarding)))
		return BPF_FIB_LKUP_RET_FWD_DISABLED;

	memset(&fl6, 0, sizeof(fl6));
	oif = p->ifindex;
	fl6.flowi6_iif = p->ifindex;
	fl6.daddr = *dst;
	fl6.saddr = *src;
	fl6.flowi6_uid = sock_net_uid(net, NULL);
	err = ipv6_stub->fib6_lookup(net, oif, &fl6, &res, RT6_LOOKUP_F_HAS_SADDR);
	if (unlikely(err || IS_ERR_OR_NULL(res.f6i) || res.f6i == net->ipv6.fib6_null_entry))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	switch (res.fib6_type) {
	case RTN_UNICAST:
		break;
	case RTN_BLACKHOLE:
		return BPF_FIB_LKUP_RET_BLACKHOLE;
	case RTN_UNREACHABLE:
		return BPF_FIB_LKUP_RET_UNREACHABLE;
	case RTN_PROHIBIT:
		return BPF_FIB_LKUP_RET_PROHIBIT;
	default:
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	}
	ipv6_stub->fib6_select_path(net, &res, &fl6, 0, false, NULL, RT6_LOOKUP_F_HAS_SADDR);
	if (unlikely(!res.nh))
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	mtu = ipv6_stub->ip6_mtu_from_fib6(&res, dst, src);
	if (p->tot_len > mtu) {
		p->mtu_result = mtu;
		return BPF_FIB_LKUP_RET_FRAG_NEEDED;
	}
	if (res.nh->fib_nh_lws)
		return BPF_FIB_LKUP_RET_UNSUPP_LWT;
	if (res.nh->fib_nh_gw_family)
		*dst = res.nh->fib_nh_gw6;
	dev = res.nh->fib_nh_dev;
	p->ifindex = dev->ifindex;
	neigh = __ipv6_neigh_lookup_noref_stub(dev, dst);
	return netext_fib_done(p, dev, neigh);
}

int netext_xdp_fib_lookup(const struct netext_ctx *nc, struct netext_fib *p)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);
	struct net *net;

	/* as the BPF helper: the namespace of the device the frame arrived on */
	if (unlikely(!xdp->rxq || !xdp->rxq->dev))
		return -ENODEV;
	net = dev_net(xdp->rxq->dev);
	switch (p->family) {
	case AF_INET:
		return netext_fib4(net, p);
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		return netext_fib6(net, p);
#endif
	}
	return -EAFNOSUPPORT;
}
EXPORT_SYMBOL_GPL(netext_xdp_fib_lookup);

static struct sk_buff *netext_skb(const struct netext_ctx *nc)
{
	netext_wd_check();
	if (unlikely(nc->hook != NETEXT_HOOK_TC || !nc->skb))
		netext_fault_here(NETEXT_FAULT_PANIC);
	return nc->skb;
}

u32 netext_skb_len(const struct netext_ctx *nc)
{
	return netext_skb(nc)->len;
}
EXPORT_SYMBOL_GPL(netext_skb_len);

/* __sk_buff->ifindex: the device the skb is on */
u32 netext_skb_ifindex(const struct netext_ctx *nc)
{
	struct sk_buff *skb = netext_skb(nc);

	return skb->dev ? skb->dev->ifindex : 0;
}
EXPORT_SYMBOL_GPL(netext_skb_ifindex);

u32 netext_skb_mark(const struct netext_ctx *nc)
{
	return netext_skb(nc)->mark;
}
EXPORT_SYMBOL_GPL(netext_skb_mark);

void netext_skb_set_mark(struct netext_ctx *nc, u32 mark)
{
	netext_skb(nc)->mark = mark;
}
EXPORT_SYMBOL_GPL(netext_skb_set_mark);

/* bpf_skb_pull_data: makes len bytes (0: the linear part) linear and writable */
int netext_skb_pull(struct netext_ctx *nc, u32 len)
{
	struct sk_buff *skb = netext_skb(nc);
	int err = skb_ensure_writable(skb, len ? : skb_headlen(skb));

	/* the data pointers move even on failure, as bpf_compute_data_pointers() has them */
	nc->data = skb->data;
	nc->data_end = skb->data + skb_headlen(skb);
	return err;
}
EXPORT_SYMBOL_GPL(netext_skb_pull);

/* bpf_skb_load_bytes: the destination is zeroed on failure */
int netext_skb_load_bytes(const struct netext_ctx *nc, u32 offset, void *to, u32 len)
{
	struct sk_buff *skb = netext_skb(nc);
	const void *ptr;

	if (unlikely(offset > INT_MAX))
		goto err;
	ptr = skb_header_pointer(skb, offset, len, to);
	if (unlikely(!ptr))
		goto err;
	if (ptr != to)
		memcpy(to, ptr, len);
	return 0;
err:
	memset(to, 0, len);
	return -EFAULT;
}
EXPORT_SYMBOL_GPL(netext_skb_load_bytes);

u64 netext_now_ns(void)
{
	netext_wd_check();
	return ktime_get_mono_fast_ns();
}
EXPORT_SYMBOL_GPL(netext_now_ns);

u64 netext_coarse_now_ns(void)
{
	netext_wd_check();
	return ktime_get_coarse_ns();
}
EXPORT_SYMBOL_GPL(netext_coarse_now_ns);

u64 netext_ticks(void)
{
	netext_wd_check();
	return get_jiffies_64();
}
EXPORT_SYMBOL_GPL(netext_ticks);

u64 netext_tick_ns(void)
{
	return TICK_NSEC;
}
EXPORT_SYMBOL_GPL(netext_tick_ns);

/* bpf_get_prandom_u32 (the kernel's per-CPU batched generator; eBPF's helper has its own state) */
u32 netext_random_u32(void)
{
	netext_wd_check();
	return get_random_u32();
}
EXPORT_SYMBOL_GPL(netext_random_u32);

/* bpf_get_smp_processor_id: the dispatcher runs with bottom halves off, so it stays put */
u32 netext_cpu_id(void)
{
	netext_wd_check();
	return raw_smp_processor_id();
}
EXPORT_SYMBOL_GPL(netext_cpu_id);

/* Registration */

/* After the app left the list and an RCU grace period: nothing runs its code. */
static void netext_app_put_maps(struct netext_app *app)
{
	unsigned int i;

	for (i = 0; i < app->nr_maps; i++) {
		struct bpf_map *map = app->maps[i]->map;

		if (map) {
			WRITE_ONCE(app->maps[i]->map, NULL);
			bpf_map_put(map);
		}
	}
}

static void netext_app_free(struct netext_app *app)
{
	unsigned int i;

	for (i = 0; i < app->nr; i++)
		free_percpu(app->progs[i].stats);
	free_percpu(app->faults);
	kfree(app);
}

static struct netext_app *netext_find_app(const char *name)
{
	struct netext_app *app;

	list_for_each_entry(app, &netext_apps, node)
		if (!strcmp(app->name, name))
			return app;
	return NULL;
}

static bool netext_map_desc_ok(struct netext_map_desc *const *maps, unsigned int i)
{
	const struct netext_map_desc *d = maps[i];
	unsigned int j;

	if (!d || !d->name || !*d->name || strlen(d->name) >= NETEXT_NAME_LEN || d->map ||
	    !d->key_size || !d->value_size || !d->max_entries)
		return false;
	for (j = 0; j < i; j++)
		if (maps[j] == d || !strcmp(maps[j]->name, d->name))
			return false;
	return true;
}

struct netext_app *netext_app_register(struct module *owner, const char *name,
				       const struct netext_prog_desc *progs,
				       unsigned int nr, u32 *slots)
{
	return netext_app_register_maps(owner, name, progs, nr, slots, NULL, 0);
}
EXPORT_SYMBOL_GPL(netext_app_register);

struct netext_app *netext_app_register_maps(struct module *owner, const char *name,
					    const struct netext_prog_desc *progs,
					    unsigned int nr, u32 *slots,
					    struct netext_map_desc *const *maps,
					    unsigned int nr_maps)
{
	struct netext_app *app;
	unsigned int i, n, s;
	int err;

	if (!name || !*name || strlen(name) >= NETEXT_NAME_LEN || !progs || !nr ||
	    nr > NETEXT_MAX_SLOTS || (nr_maps && !maps))
		return ERR_PTR(-EINVAL);
	for (i = 0; i < nr_maps; i++)
		if (!netext_map_desc_ok(maps, i))
			return ERR_PTR(-EINVAL);
	for (i = 0; i < nr; i++) {
		const struct netext_prog_desc *d = &progs[i];

		if (!d->name || !*d->name || strlen(d->name) >= NETEXT_NAME_LEN ||
		    !d->entry || (d->hook != NETEXT_HOOK_XDP && d->hook != NETEXT_HOOK_TC))
			return ERR_PTR(-EINVAL);
		/* a fault must not leave a redirect to a stale target */
		if (d->hook == NETEXT_HOOK_XDP && (d->flags & NETEXT_PROG_F_FAULT_VERDICT) &&
		    d->fault_verdict == XDP_REDIRECT)
			return ERR_PTR(-EINVAL);
	}

	app = kzalloc(struct_size(app, progs, nr), GFP_KERNEL);
	if (!app)
		return ERR_PTR(-ENOMEM);
	app->owner = owner;
	app->nr = nr;
	app->maps = maps;
	app->nr_maps = nr_maps;
	app->unbound = nr_maps;
	strscpy(app->name, name, sizeof(app->name));
	ratelimit_state_init(&app->rs, 5 * HZ, 10);
	ratelimit_set_flags(&app->rs, RATELIMIT_MSG_ON_RELEASE);
	app->faults = alloc_percpu(u64);
	err = -ENOMEM;
	if (!app->faults)
		goto err_free;
	for (i = 0; i < nr; i++) {
		struct netext_prog *p = &app->progs[i];

		p->app = app;
		p->entry = progs[i].entry;
		p->hook = progs[i].hook;
		p->fault_verdict = progs[i].flags & NETEXT_PROG_F_FAULT_VERDICT ?
				   progs[i].fault_verdict : netext_default_verdict(p->hook);
		strscpy(p->name, progs[i].name, sizeof(p->name));
		p->stats = alloc_percpu(struct netext_stats);
		if (!p->stats)
			goto err_free;
	}

	mutex_lock(&netext_lock);
	err = -EEXIST;
	if (netext_find_app(name))
		goto err_unlock;
	/* all slots or none */
	for (s = 0, n = 0; s < NETEXT_MAX_SLOTS && n < nr; s++)
		if (!rcu_access_pointer(netext_slots[s]))
			app->progs[n++].slot = s;
	err = -ENOSPC;
	if (n < nr)
		goto err_unlock;
	for (i = 0; i < nr; i++) {
		rcu_assign_pointer(netext_slots[app->progs[i].slot], &app->progs[i]);
		if (slots)
			slots[i] = app->progs[i].slot;
	}
	list_add_tail(&app->node, &netext_apps);
	mutex_unlock(&netext_lock);
	pr_info("app %s registered %u program(s), %u map(s)\n", app->name, nr, nr_maps);
	return app;

err_unlock:
	mutex_unlock(&netext_lock);
err_free:
	netext_app_free(app);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(netext_app_register_maps);

static void netext_app_unlink(struct netext_app *app)
{
	unsigned int i;

	lockdep_assert_held(&netext_lock);
	for (i = 0; i < app->nr; i++)
		RCU_INIT_POINTER(netext_slots[app->progs[i].slot], NULL);
	list_del(&app->node);
}

void netext_app_unregister(struct netext_app *app)
{
	if (IS_ERR_OR_NULL(app))
		return;
	mutex_lock(&netext_lock);
	netext_app_unlink(app);
	mutex_unlock(&netext_lock);
	/* invocations hold rcu_read_lock() from slot lookup to return */
	synchronize_rcu();
	netext_app_put_maps(app);
	pr_info("app %s unregistered\n", app->name);
	netext_app_free(app);
}
EXPORT_SYMBOL_GPL(netext_app_unregister);

/* An app module that forgot to unregister must not leave slots to freed code. */
static int netext_module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	struct netext_app *app, *tmp;
	LIST_HEAD(gone);

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&netext_lock);
	list_for_each_entry_safe(app, tmp, &netext_apps, node) {
		if (app->owner != mod)
			continue;
		netext_app_unlink(app);
		list_add_tail(&app->node, &gone);
	}
	mutex_unlock(&netext_lock);
	if (list_empty(&gone))
		return NOTIFY_DONE;
	synchronize_rcu();
	list_for_each_entry_safe(app, tmp, &gone, node) {
		pr_err("app %s: module %s went away without unregistering\n",
		       app->name, mod->name);
		netext_app_put_maps(app);
		netext_app_free(app);
	}
	return NOTIFY_DONE;
}

static struct notifier_block netext_module_nb = {
	.notifier_call = netext_module_notify,
};

/* Stats: /dev/netext (ioctl for programs, read for people) */

static u64 netext_sum(u64 __percpu *v)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(v, cpu);
	return sum;
}

static void netext_prog_fill(struct netext_prog *p, struct netext_prog_info *info)
{
	int cpu;

	info->hook = p->hook;
	info->fault_verdict = p->fault_verdict;
	info->last_fault_reason = READ_ONCE(p->last_fault_reason);
	info->invocations = 0;
	info->faults = 0;
	for_each_possible_cpu(cpu) {
		struct netext_stats *s = per_cpu_ptr(p->stats, cpu);

		info->invocations += READ_ONCE(s->invocations);
		info->faults += READ_ONCE(s->faults);
	}
	info->app_faults = netext_sum(p->app->faults);
	strscpy(info->app, p->app->name, sizeof(info->app));
	strscpy(info->name, p->name, sizeof(info->name));
}

static struct netext_map_desc *netext_find_map(const struct netext_map_bind *b)
{
	struct netext_app *app = netext_find_app(b->app);
	unsigned int i;

	lockdep_assert_held(&netext_lock);
	if (!app)
		return NULL;
	for (i = 0; i < app->nr_maps; i++)
		if (!strcmp(app->maps[i]->name, b->map))
			return app->maps[i];
	return NULL;
}

static int netext_map_bind(const struct netext_map_bind *b)
{
	struct netext_map_desc *d;
	struct bpf_map *map;
	int err = 0;

	map = bpf_map_get(b->fd);
	if (IS_ERR(map))
		return PTR_ERR(map);
	mutex_lock(&netext_lock);
	d = netext_find_map(b);
	if (!d)
		err = -ENOENT;
	else if (d->map)
		err = -EBUSY;
	else if (map->map_type != d->type || map->key_size != d->key_size ||
		 map->value_size != d->value_size || map->max_entries != d->max_entries ||
		 map->map_flags != d->flags)
		err = -EINVAL;
	if (!err) {
		/* the reference from bpf_map_get is the app's now */
		WRITE_ONCE(d->map, map);
		netext_find_app(b->app)->unbound--;
	}
	mutex_unlock(&netext_lock);
	if (err)
		bpf_map_put(map);
	return err;
}

static int netext_map_unbind(const struct netext_map_bind *b)
{
	struct netext_map_desc *d;
	struct bpf_map *map = NULL;

	mutex_lock(&netext_lock);
	d = netext_find_map(b);
	if (d && d->map) {
		map = d->map;
		WRITE_ONCE(d->map, NULL);
		netext_find_app(b->app)->unbound++;
	}
	mutex_unlock(&netext_lock);
	if (!map)
		return -ENOENT;
	/* invocations that may still use the map hold rcu_read_lock() */
	synchronize_rcu();
	bpf_map_put(map);
	return 0;
}

static long netext_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NETEXT_IOC_PROG_INFO: {
		struct netext_prog_info info;
		struct netext_prog *p;

		if (copy_from_user(&info, uarg, sizeof(info)))
			return -EFAULT;
		if (info.slot >= NETEXT_MAX_SLOTS)
			return -EINVAL;
		mutex_lock(&netext_lock);
		p = rcu_dereference_protected(netext_slots[info.slot],
					      lockdep_is_held(&netext_lock));
		if (p)
			netext_prog_fill(p, &info);
		mutex_unlock(&netext_lock);
		if (!p)
			return -ENOENT;
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case NETEXT_IOC_GLOBAL_INFO: {
		struct netext_global_info info = {
			.max_slots = NETEXT_MAX_SLOTS,
			.stack_size = NETEXT_STACK_SIZE,
			.empty_slot = netext_sum(&netext_empty_slot),
			.wrong_hook = netext_sum(&netext_wrong_hook),
			.nested = netext_sum(&netext_nested),
		};
		struct netext_app *app;

		mutex_lock(&netext_lock);
		list_for_each_entry(app, &netext_apps, node) {
			info.apps++;
			info.progs += app->nr;
		}
		mutex_unlock(&netext_lock);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case NETEXT_IOC_MAP_BIND:
	case NETEXT_IOC_MAP_UNBIND: {
		struct netext_map_bind b;

		if (copy_from_user(&b, uarg, sizeof(b)))
			return -EFAULT;
		b.app[sizeof(b.app) - 1] = '\0';
		b.map[sizeof(b.map) - 1] = '\0';
		return cmd == NETEXT_IOC_MAP_BIND ? netext_map_bind(&b) : netext_map_unbind(&b);
	}
	}
	return -ENOTTY;
}

static int netext_show(struct seq_file *m, void *v)
{
	struct netext_app *app;
	unsigned int i;

	seq_puts(m, "slot app prog hook invocations faults last_fault\n");
	mutex_lock(&netext_lock);
	list_for_each_entry(app, &netext_apps, node) {
		for (i = 0; i < app->nr; i++) {
			struct netext_prog_info info;

			netext_prog_fill(&app->progs[i], &info);
			seq_printf(m, "%u %s %s %s %llu %llu %s\n", app->progs[i].slot,
				   info.app, info.name,
				   info.hook == NETEXT_HOOK_XDP ? "xdp" : "tc",
				   info.invocations, info.faults,
				   netext_reason_names[info.last_fault_reason]);
		}
	}
	mutex_unlock(&netext_lock);
	return 0;
}

static int netext_open(struct inode *inode, struct file *file)
{
	/* misc_open left the miscdevice here; seq_file wants the field */
	file->private_data = NULL;
	return single_open(file, netext_show, NULL);
}

static const struct file_operations netext_fops = {
	.owner = THIS_MODULE,
	.open = netext_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.unlocked_ioctl = netext_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice netext_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "netext",
	.fops = &netext_fops,
	.mode = 0600,
};

/* Module */

static void netext_free_stacks(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct netext_cpu *c = per_cpu_ptr(&netext_cpu, cpu);

		hrtimer_cancel(&c->wd);
		vfree(c->stack);
		c->stack = NULL;
	}
}

static int __init netext_init(void)
{
	int cpu, err;

	BUILD_BUG_ON(NETEXT_FAULT_TIMEOUT != 6);	/* NETEXT_WD_REASON in the assembly */
	/* the C++ SDK's copy of the ABI (dataplane/include/netext/native/runtime.hpp) */
	BUILD_BUG_ON(sizeof(struct netext_fib) != 60 || offsetof(struct netext_fib, dmac) != 54);
	BUILD_BUG_ON(BPF_FIB_LKUP_RET_SUCCESS != 0 || BPF_FIB_LKUP_RET_NO_NEIGH != 7);
	for_each_possible_cpu(cpu) {
		struct netext_cpu *c = per_cpu_ptr(&netext_cpu, cpu);

		hrtimer_init(&c->wd, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
		c->wd.function = netext_wd_fire;
		c->stack = vmalloc_node(NETEXT_STACK_SIZE, cpu_to_node(cpu));
		if (!c->stack) {
			err = -ENOMEM;
			goto err_stacks;
		}
	}
	err = register_module_notifier(&netext_module_nb);
	if (err)
		goto err_stacks;
	err = misc_register(&netext_misc);
	if (err)
		goto err_notifier;
	/* no unregister call exists: the sets go with this module's BTF */
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &netext_xdp_kfuncs);
	if (!err)
		err = register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS, &netext_tc_kfuncs);
	if (err) {
		pr_err("cannot register kfuncs (%d): does the module have BTF?\n", err);
		goto err_misc;
	}
	pr_info("ready: %u slots, %u KiB extension stack per CPU, watchdog %u us\n",
		NETEXT_MAX_SLOTS, NETEXT_STACK_SIZE / 1024, watchdog_us);
	return 0;

err_misc:
	misc_deregister(&netext_misc);
err_notifier:
	unregister_module_notifier(&netext_module_nb);
err_stacks:
	netext_free_stacks();
	return err;
}

static void __exit netext_exit(void)
{
	/* apps depend on our symbols and stubs hold a module reference: both gone */
	misc_deregister(&netext_misc);
	unregister_module_notifier(&netext_module_nb);
	netext_free_stacks();
}

module_init(netext_init);
module_exit(netext_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netext native backend: kfunc dispatcher, extension stacks, landing pad");
