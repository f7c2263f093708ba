// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime helpers native programs call (the C++ SDK's native backend,
 * dataplane/include/netext/native/runtime.hpp), on the extension stack.
 *
 * Most of them can fault: they end the invocation from inside their own frame
 * (netext_fault abandons it). A tracer that hooked such a frame's return (the
 * function graph tracer, a kretprobe, a BPF fexit trampoline) would keep a record
 * of a frame that never returns and later "return" through it. So nothing in this
 * file is traceable: it is built without the ftrace entry hook (Kbuild:
 * CFLAGS_REMOVE, so no function here is in ftrace's list, in module BTF as an
 * attach target, or patchable by a BPF trampoline) and every helper is on the
 * kprobe blacklist (NETEXT_HELPER below). The static functions a helper calls
 * before it may fault are always inlined into it.
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/filter.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include "netext_compat.h"
#include "netext_internal.h"

/* Exported to app modules, not probeable. */
#define NETEXT_HELPER(fn) EXPORT_SYMBOL_GPL(fn); NOKPROBE_SYMBOL(fn)

static __always_inline int netext_res_find(struct netext_cpu *c, u32 kind, const void *obj)
{
	int i;

	for (i = c->nres - 1; i >= 0; i--)
		if (c->res[i].kind == kind && c->res[i].obj == obj)
			return i;
	return -1;
}

static __always_inline void netext_res_remove(struct netext_cpu *c, int i)
{
	for (; i + 1 < (int)c->nres; i++)
		c->res[i] = c->res[i + 1];
	c->nres--;
}

/*
 * bpf_spin_lock. The policy is eBPF's: one lock at a time (a second one, held or
 * not, faults RESOURCE), so no two programs can wait for each other's lock: no
 * ABBA deadlock across CPUs. Interrupts stay on while the lock is held (unlike
 * bpf_spin_lock, which turns them off): the dispatcher runs programs with bottom
 * halves (so preemption) off, and no hard-interrupt code takes these locks
 * (tracing programs may not use bpf_spin_lock; BPF_F_LOCK from user space takes
 * them with interrupts off, in process context, which this softirq cannot
 * interrupt on its CPU). So the watchdog's timer still fires while a program holds
 * a lock: a program looping with a lock held is ended like any other and the
 * landing pad releases the lock. A CPU waiting here for a lock another CPU's
 * program holds waits at most until that program is ended (two budgets); its own
 * watchdog then ends it at its next helper call.
 */
void netext_spin_lock(struct bpf_spin_lock *lock)
{
	struct netext_cpu *c = netext_running();

	BUILD_BUG_ON(sizeof(raw_spinlock_t) != sizeof(struct bpf_spin_lock));
	if (c->nres >= NETEXT_CLEANUP_MAX)
		netext_fault_here(NETEXT_FAULT_RESOURCE);
	for (int i = 0; i < c->nres; i++)
		if (c->res[i].kind == NETEXT_RES_SPIN)
			netext_fault_here(NETEXT_FAULT_RESOURCE);
	raw_spin_lock((raw_spinlock_t *)lock);
	c->res[c->nres++] = (struct netext_res){ .kind = NETEXT_RES_SPIN, .obj = lock };
}
NETEXT_HELPER(netext_spin_lock);

void netext_spin_unlock(struct bpf_spin_lock *lock)
{
	struct netext_cpu *c = netext_running();
	int i = netext_res_find(c, NETEXT_RES_SPIN, lock);

	if (i < 0)
		netext_fault_here(NETEXT_FAULT_RESOURCE);
	netext_res_remove(c, i);
	raw_spin_unlock((raw_spinlock_t *)lock);
}
NETEXT_HELPER(netext_spin_unlock);

/*
 * App-level locks: a u32 the app keeps in a map value (BMC's flow lock and cache
 * seqlock), odd while a CPU holds it, never waited for. netext_trylock takes it
 * (even -> odd) and records it in the cleanup table in the same helper, and
 * netext_unlock forgets and releases it in one: the watchdog never ends a program
 * inside a helper, so no fault can fall between taking and recording, or between
 * forgetting and releasing. If the program faults or returns first, the landing
 * pad releases it (odd -> even): never left held in a pinned map.
 */
bool netext_trylock(u32 *word)
{
	struct netext_cpu *c = netext_running();
	u32 v;

	if (unlikely(!IS_ALIGNED((unsigned long)word, sizeof(u32))))
		netext_fault_here(NETEXT_FAULT_PANIC);	/* a split lock */
	if (c->nres >= NETEXT_CLEANUP_MAX)
		netext_fault_here(NETEXT_FAULT_RESOURCE);
	v = READ_ONCE(*word);
	if ((v & 1) || cmpxchg(word, v, v + 1) != v)
		return false;
	c->res[c->nres++] = (struct netext_res){ .kind = NETEXT_RES_HOLD, .delta = 1,
						 .obj = word };
	return true;
}
NETEXT_HELPER(netext_trylock);

void netext_unlock(u32 *word)
{
	struct netext_cpu *c = netext_running();
	int i = netext_res_find(c, NETEXT_RES_HOLD, word);

	if (i < 0)
		netext_fault_here(NETEXT_FAULT_RESOURCE);	/* not held by this program */
	netext_res_remove(c, i);
	atomic_inc((atomic_t *)word);
}
NETEXT_HELPER(netext_unlock);

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
NETEXT_HELPER(netext_stack_check);

/*
 * Maps: what bpf_map_lookup_elem & co. do for a BPF program (kernel/bpf/helpers.c),
 * under the dispatcher's rcu_read_lock with bottom halves off. A map unbound while
 * the program runs is seen as NULL here (unbind waits for RCU before the put).
 */
static __always_inline struct bpf_map *netext_bound(struct netext_map_desc *d)
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
NETEXT_HELPER(netext_map_lookup);

long netext_map_update(struct netext_map_desc *d, const void *key, const void *value, u64 flags)
{
	struct bpf_map *map = netext_bound(d);

	return map->ops->map_update_elem(map, (void *)key, (void *)value, flags);
}
NETEXT_HELPER(netext_map_update);

long netext_map_delete(struct netext_map_desc *d, const void *key)
{
	struct bpf_map *map = netext_bound(d);

	return map->ops->map_delete_elem(map, (void *)key);
}
NETEXT_HELPER(netext_map_delete);

/*
 * XDP head/tail adjustment with bpf_xdp_adjust_head/tail's checks (Linux 6.1,
 * net/core/filter.c) for linear buffers; multi-buffer frames are refused.
 */
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
NETEXT_HELPER(netext_xdp_adjust_head);

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
NETEXT_HELPER(netext_xdp_adjust_tail);

u32 netext_xdp_rx_queue_index(const struct netext_ctx *nc)
{
	struct xdp_buff *xdp = netext_xdp_buff(nc);

	return xdp->rxq ? xdp->rxq->queue_index : 0;
}
NETEXT_HELPER(netext_xdp_rx_queue_index);

int netext_xdp_redirect(struct netext_ctx *nc, u32 ifindex)
{
	struct netext_cpu *c = netext_running();
	struct bpf_redirect_info *ri;

	netext_xdp_buff(nc);
	/* what bpf_redirect() does for XDP: map type UNSPEC, map id INT_MAX = an ifindex */
	ri = netext_redirect_info();
	ri->tgt_index = ifindex;
	ri->map_id = INT_MAX;
	ri->map_type = BPF_MAP_TYPE_UNSPEC;
	c->redirected = 1;
	return XDP_REDIRECT;
}
NETEXT_HELPER(netext_xdp_redirect);

static __always_inline struct sk_buff *netext_skb(const struct netext_ctx *nc)
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
NETEXT_HELPER(netext_skb_len);

/* __sk_buff->ifindex: the device the skb is on */
u32 netext_skb_ifindex(const struct netext_ctx *nc)
{
	struct sk_buff *skb = netext_skb(nc);

	return skb->dev ? skb->dev->ifindex : 0;
}
NETEXT_HELPER(netext_skb_ifindex);

u32 netext_skb_mark(const struct netext_ctx *nc)
{
	return netext_skb(nc)->mark;
}
NETEXT_HELPER(netext_skb_mark);

void netext_skb_set_mark(struct netext_ctx *nc, u32 mark)
{
	netext_skb(nc)->mark = mark;
}
NETEXT_HELPER(netext_skb_set_mark);

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
NETEXT_HELPER(netext_skb_pull);

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
NETEXT_HELPER(netext_skb_load_bytes);

u64 netext_now_ns(void)
{
	netext_wd_check();
	return ktime_get_mono_fast_ns();
}
NETEXT_HELPER(netext_now_ns);

u64 netext_coarse_now_ns(void)
{
	netext_wd_check();
	return ktime_get_coarse_ns();
}
NETEXT_HELPER(netext_coarse_now_ns);

u64 netext_ticks(void)
{
	netext_wd_check();
	return get_jiffies_64();
}
NETEXT_HELPER(netext_ticks);

u64 netext_tick_ns(void)
{
	return TICK_NSEC;
}
NETEXT_HELPER(netext_tick_ns);

/* bpf_get_prandom_u32 (the kernel's per-CPU batched generator; eBPF's helper has its own state) */
u32 netext_random_u32(void)
{
	netext_wd_check();
	return get_random_u32();
}
NETEXT_HELPER(netext_random_u32);

/* bpf_get_smp_processor_id: the dispatcher runs with bottom halves off, so it stays put */
u32 netext_cpu_id(void)
{
	netext_wd_check();
	return raw_smp_processor_id();
}
NETEXT_HELPER(netext_cpu_id);
