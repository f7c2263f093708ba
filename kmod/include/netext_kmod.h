/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netext.ko's interface to app modules (native programs).
 *
 * An app module registers its programs at init and gets one slot per program; the
 * eBPF stub for a slot calls netext_xdp_run(ctx, slot) / netext_tc_run(skb, slot),
 * which runs the program on this CPU's extension stack. A failed run-time check
 * calls netext_fault(): the invocation ends at once with the program's fault
 * verdict, resources taken through the helpers below are released, and the fault
 * is counted and logged. Unregister in module exit (netext.ko also does it for an
 * app whose module goes away without doing so).
 */
#ifndef NETEXT_KMOD_H
#define NETEXT_KMOD_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bpf.h>
#include "uapi/netext.h"

struct module;
struct sk_buff;

/* What a program sees: the packet and where it came from. */
struct netext_ctx {
	void *data;
	void *data_end;
	void *kctx;		/* struct xdp_buff * or struct sk_buff * */
	struct sk_buff *skb;	/* tc only */
	u32 ifindex;		/* ingress device */
	u32 hook;		/* enum netext_hook */
};

typedef int (*netext_entry_t)(struct netext_ctx *ctx);

/* Use .fault_verdict instead of the hook's default (XDP_PASS / TC_ACT_OK). */
#define NETEXT_PROG_F_FAULT_VERDICT (1U << 0)

struct netext_prog_desc {
	const char *name;
	u32 hook;		/* enum netext_hook */
	netext_entry_t entry;
	u32 flags;
	int fault_verdict;
};

/*
 * A map the app's code uses: a real BPF map bound later through /dev/netext
 * (NETEXT_IOC_MAP_BIND). map is NULL until then; the app does not run while any
 * of its maps is unbound. Lives in the app module (the C++ SDK emits it).
 */
struct netext_map_desc {
	const char *name;
	u32 type;		/* BPF_MAP_TYPE_* */
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;		/* BPF_F_* the declaration asks for */
	struct bpf_map *map;	/* set by netext.ko while bound */
};

struct netext_app;

/*
 * Registers nr programs under the app's name (unique); slots[i] receives
 * progs[i]'s handle (its slot and the slot's generation: what the stub is given).
 * A fault verdict must be one that needs no state (XDP: ABORTED, DROP, PASS, TX;
 * tc: UNSPEC, OK, SHOT). Returns the app or an ERR_PTR.
 */
struct netext_app *netext_app_register(struct module *owner, const char *name,
				       const struct netext_prog_desc *progs,
				       unsigned int nr, u32 *slots);
/* The same with the app's maps (nr_maps descriptors, all unbound at first). */
struct netext_app *netext_app_register_maps(struct module *owner, const char *name,
					    const struct netext_prog_desc *progs,
					    unsigned int nr, u32 *slots,
					    struct netext_map_desc *const *maps,
					    unsigned int nr_maps);
/* Empties the slots and waits until no invocation runs the app's code. */
void netext_app_unregister(struct netext_app *app);

/*
 * Landing pad: ends the running invocation. Only from a program's code.
 * The exported symbol is netext_fault (assembly); calling it through this
 * inline puts a ud2 after the call, which tells objtool (6.1's and 6.12's: the
 * latter reads no unreachable() annotation) that the call does not return.
 */
void __netext_fault_call(u32 reason) __asm__("netext_fault");

#ifndef NETEXT_KMOD_INTERNAL
static __always_inline void __noreturn netext_fault(u32 reason)
{
	__netext_fault_call(reason);
	__builtin_trap();
}
#endif

/*
 * A struct bpf_spin_lock (a map value's, so eBPF programs and BPF_F_LOCK see the
 * same lock). One at a time, as in eBPF: taking a second faults (RESOURCE), so
 * programs cannot deadlock each other. Interrupts stay on while it is held (only
 * softirq and process context with interrupts off take these locks), so the
 * watchdog can end a program that loops holding one. The landing pad releases
 * it; returning with it held is a fault (LEAK), released too.
 */
void netext_spin_lock(struct bpf_spin_lock *lock);
void netext_spin_unlock(struct bpf_spin_lock *lock);

/*
 * A lock the app built itself: a u32 (in a map value), odd while a CPU holds it,
 * never waited for. netext_trylock(word) takes it if it is even (false if another
 * CPU holds it) and records it in the cleanup table; netext_unlock(word) releases
 * it (a lock this invocation does not hold faults RESOURCE). If the invocation
 * faults, or returns (LEAK) still holding it, the landing pad releases it. At most
 * NETEXT_CLEANUP_MAX (4) entries, locks and holds together (RESOURCE beyond).
 */
bool netext_trylock(u32 *word);
void netext_unlock(u32 *word);

/*
 * Map operations for programs: the bound map's own ops, as the BPF helpers call
 * them (per-CPU maps act on this CPU's value). An unbound map faults (UNBOUND).
 */
void *netext_map_lookup(struct netext_map_desc *d, const void *key);
long netext_map_update(struct netext_map_desc *d, const void *key, const void *value,
		       u64 flags);
long netext_map_delete(struct netext_map_desc *d, const void *key);

/* bpf_xdp_adjust_head/tail's checks (linear buffers); update ctx->data/data_end. */
int netext_xdp_adjust_head(struct netext_ctx *ctx, int offset);
int netext_xdp_adjust_tail(struct netext_ctx *ctx, int offset);
u32 netext_xdp_rx_queue_index(const struct netext_ctx *ctx);

/*
 * bpf_redirect(ifindex, 0) for XDP: records the target where the kernel's
 * xdp_do_redirect() looks for it (this CPU's bpf_redirect_info, exactly as the
 * BPF helper does) and returns XDP_REDIRECT for the program to return. The
 * stub passes the verdict through, so nothing else is needed. An XDP program
 * that returns XDP_REDIRECT without having called this in the same invocation
 * faults (NETEXT_FAULT_REDIRECT): its fault verdict, counted.
 */
int netext_xdp_redirect(struct netext_ctx *ctx, u32 ifindex);

/*
 * bpf_fib_lookup(ctx, params, sizeof(params), 0) for XDP (Linux 6.1's
 * bpf_ipv4_fib_lookup / bpf_ipv6_fib_lookup with the MTU check XDP does), in
 * the network namespace of the receiving device: family, ifindex (the ingress
 * device), tot_len, src and dst (network order; IPv4 in the first word) in;
 * on BPF_FIB_LKUP_RET_SUCCESS, ifindex (egress), smac, dmac (and dst: the next
 * hop) out. Returns a BPF_FIB_LKUP_RET_* code, or -ENODEV / -EAFNOSUPPORT.
 * Differences from the BPF helper, where 6.1 exports nothing to do it with:
 * an IPv4 route with several next hops is not forwarded (NOT_FWDED: the stack
 * picks the path), and IPv4 path-MTU exceptions are not seen (the route's or
 * the device's MTU is used).
 */
struct netext_fib {
	u32 family;		/* AF_INET or AF_INET6 */
	u32 ifindex;
	u32 tot_len;
	u32 mtu_result;		/* FRAG_NEEDED: the MTU */
	__be32 src[4];
	__be32 dst[4];
	u8 smac[6];
	u8 dmac[6];
};

int netext_xdp_fib_lookup(const struct netext_ctx *ctx, struct netext_fib *params);

/* tc: the sk_buff fields a program reads, and bpf_skb_load_bytes. */
u32 netext_skb_len(const struct netext_ctx *ctx);
u32 netext_skb_ifindex(const struct netext_ctx *ctx);
u32 netext_skb_mark(const struct netext_ctx *ctx);
void netext_skb_set_mark(struct netext_ctx *ctx, u32 mark);
int netext_skb_load_bytes(const struct netext_ctx *ctx, u32 offset, void *to, u32 len);
int netext_skb_pull(struct netext_ctx *ctx, u32 len);

/* bpf_ktime_get_ns / bpf_ktime_get_coarse_ns */
u64 netext_now_ns(void);
u64 netext_coarse_now_ns(void);
/* bpf_jiffies64, and how long a jiffy is */
u64 netext_ticks(void);
u64 netext_tick_ns(void);
/* bpf_get_prandom_u32 / bpf_get_smp_processor_id */
u32 netext_random_u32(void);
u32 netext_cpu_id(void);

/* Bytes of extension stack left below the caller; faults (STACK) if under need. */
unsigned long netext_stack_check(unsigned long need);

#endif
