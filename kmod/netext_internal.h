/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netext.ko's own declarations, shared by its files:
 *
 *   netext_dispatch.c  the kfuncs, the dispatcher, the landing pad, the watchdog,
 *                      the per-CPU extension stacks
 *   netext_enter.S     entering a program on the extension stack, netext_fault
 *   netext_helpers.c   the runtime helpers programs call (untraceable: see there)
 *   netext_fib.c       bpf_fib_lookup for XDP
 *   netext_registry.c  apps, slots and their generations, map binding
 *   netext_dev.c       /dev/netext
 *   netext_main.c      module init and exit
 */
#ifndef NETEXT_INTERNAL_H
#define NETEXT_INTERNAL_H

#include <linux/bpf.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <net/xdp.h>

#define NETEXT_KMOD_INTERNAL
#include "netext_kmod.h"

/*
 * Each CPU's extension stack is its own vmalloc area between guard pages: running
 * off either end faults, never silently corrupts.
 *
 * The reserve below a program is for what may run on this stack besides the
 * program and its helpers: the landing pad (netext_fault, netext_fault_record:
 * under 128 bytes) and a hard interrupt. Under NAPI the softirq already runs on
 * the CPU's IRQ stack, so a hard IRQ arriving during a program does not switch
 * stacks: its entry frame and its whole handler run here (measured in the guest:
 * 736 bytes under veth NAPI; the low-water mark is in NETEXT_IOC_GLOBAL_INFO).
 * Interrupt handlers do not nest on x86-64 (they run with interrupts off; NMIs,
 * #MC and #DB have their own IST stacks), so one handler is the worst case: the
 * reserve gives it 8 KiB, half the kernel's own IRQ stack and about 10x the
 * measured need. The program budget (the SDK's NETEXT_NATIVE_STACK_BUDGET,
 * 14,336 bytes) is unchanged: the stack grew by what the reserve grew.
 */
#define NETEXT_STACK_SIZE	(24 * 1024)
#define NETEXT_STACK_RESERVE	(10 * 1024)
#define NETEXT_STACK_PAINT	0x6e	/* 'n': what an unused stack byte holds */

/* One bpf_spin_lock at a time, as eBPF; plus app-level locks (netext_trylock). */
#define NETEXT_CLEANUP_MAX	4

/* How soon a deferred watchdog looks again. */
#define NETEXT_WD_RETRY_NS	(20 * NSEC_PER_USEC)

/* Slot handles: the slot index in the low bits, the slot's generation above. */
#define NETEXT_SLOT_BITS	8
#define NETEXT_SLOT_MASK	((1U << NETEXT_SLOT_BITS) - 1)

enum netext_res_kind {
	NETEXT_RES_SPIN = 1,	/* a bpf_spin_lock: unlocked */
	NETEXT_RES_HOLD = 2,	/* an app-level lock (netext_trylock): delta added to a u32 */
};

struct netext_res {
	u32 kind;
	u32 delta;
	void *obj;
};

/*
 * The per-packet state the dispatcher touches lies first.
 *
 * cur is the running program, NULL if none. The watchdog's pending flag (the
 * budget ran out while the program was inside a runtime helper) is its low bit
 * (NETEXT_CUR_PENDING): the tick, on this CPU, sets it in place; the dispatcher's
 * one store of NULL after the program ends clears both at once, so no flag can
 * outlive its invocation and no extra store is needed per packet.
 */
struct netext_cpu {
	unsigned long saved_sp;		/* kernel sp for the landing pad */
	struct netext_prog *cur;	/* running program | NETEXT_CUR_PENDING */
	void *entry_sp;			/* the extension stack's first frame (16-aligned) */
	u32 seq;			/* invocations started here */
	u32 redirected;			/* netext_xdp_redirect() in this invocation */
	union {
		struct {
			u32 fault_reason;
			u32 nres;
		};
		u64 landing;		/* non-zero: the landing pad has work */
	};
	u32 wd_armed;			/* the watchdog ticks */
	u32 wd_seen;			/* seq at the watchdog's last tick */
	/* the programs' contexts: one invocation at a time per CPU, so one per hook */
	struct netext_ctx nc_xdp;
	struct netext_ctx nc_tc;
	struct netext_res res[NETEXT_CLEANUP_MAX];	/* the cleanup table */
	void *stack;			/* base of the extension stack */
	struct hrtimer wd;		/* the watchdog, pinned to this CPU */
	bool wd_init;			/* wd was initialised (the exit path cancels it) */
};

#define NETEXT_CUR_PENDING	1UL

static __always_inline struct netext_prog *netext_cur_prog(struct netext_prog *cur)
{
	return (struct netext_prog *)((unsigned long)cur & ~NETEXT_CUR_PENDING);
}

struct netext_stats {
	u64 invocations;
	u64 faults;
};

struct netext_prog {
	struct netext_app *app;
	netext_entry_t entry;
	u32 hook;
	u32 slot;		/* the slot's index */
	u32 handle;		/* what the stub passes: index | generation << NETEXT_SLOT_BITS */
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

DECLARE_PER_CPU(struct netext_cpu, netext_cpu);
DECLARE_PER_CPU(u64, netext_empty_slot);
DECLARE_PER_CPU(u64, netext_wrong_hook);
DECLARE_PER_CPU(u64, netext_nested);
DECLARE_PER_CPU(u64, netext_stale_slot);

extern struct netext_prog __rcu *netext_slots[NETEXT_MAX_SLOTS];
extern struct list_head netext_apps;
extern struct mutex netext_lock;	/* slots and the app list, for writers */
extern unsigned int watchdog_us;
extern const char *const netext_reason_names[NETEXT_FAULT_MAX];

/* netext_enter.S */
int netext_enter(struct netext_ctx *ctx, netext_entry_t entry, void *entry_sp,
		 unsigned long *saved_sp);
void netext_wd_landing(void);

/* netext_dispatch.c */
int netext_default_verdict(u32 hook);
bool netext_fault_verdict_ok(u32 hook, int verdict);
int netext_count_fault(struct netext_prog *p, u32 reason);
int netext_stacks_init(void);
void netext_stacks_free(void);
unsigned long netext_stack_low_water(void);
int netext_kfuncs_register(void);

/* netext_registry.c */
struct netext_app *netext_find_app(const char *name);
int netext_map_bind(const struct netext_map_bind *b);
int netext_map_unbind(const struct netext_map_bind *b);
int netext_registry_init(void);
void netext_registry_exit(void);

/* netext_dev.c */
int netext_dev_init(void);
void netext_dev_exit(void);

/*
 * For objtool: calls to the landing pad do not come back. A ud2 after the call says so
 * to every objtool (6.12's reads no unreachable() annotation and knows only its own list
 * of noreturn functions; to it netext_fault, which ends in a RET, returns).
 */
#define netext_fault_here(reason) do { __netext_fault_call(reason); __builtin_trap(); } while (0)

/* Helpers call this on entry: a deferred watchdog ends the program here. */
static __always_inline void netext_wd_check(void)
{
	if (unlikely((unsigned long)this_cpu_read(netext_cpu.cur) & NETEXT_CUR_PENDING))
		netext_fault_here(NETEXT_FAULT_TIMEOUT);
}

/* Runtime helpers: only from a running program (c->cur is set). */
static __always_inline struct netext_cpu *netext_running(void)
{
	struct netext_cpu *c = this_cpu_ptr(&netext_cpu);

	BUG_ON(!c->cur);
	netext_wd_check();
	return c;
}

static __always_inline struct xdp_buff *netext_xdp_buff(const struct netext_ctx *nc)
{
	netext_wd_check();
	if (unlikely(nc->hook != NETEXT_HOOK_XDP))
		netext_fault_here(NETEXT_FAULT_PANIC);
	return nc->kctx;
}

#endif
