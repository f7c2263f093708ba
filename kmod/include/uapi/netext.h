/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/netext: what user space reads from netext.ko (the loader, tests, the CLI).
 * Shared by the module and user space; only fixed-width types.
 */
#ifndef NETEXT_UAPI_H
#define NETEXT_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define NETEXT_DEV_PATH "/dev/netext"
#define NETEXT_NAME_LEN 32
#define NETEXT_MAX_SLOTS 256

/* Hooks a native program can run at; the stub calls the matching kfunc. */
enum netext_hook {
	NETEXT_HOOK_XDP = 1,
	NETEXT_HOOK_TC = 2,
};

/* Why an invocation went to the landing pad. */
enum netext_fault_reason {
	NETEXT_FAULT_NONE = 0,
	NETEXT_FAULT_BOUNDS = 1,	/* a packet or array access out of bounds */
	NETEXT_FAULT_PANIC = 2,		/* the program called panic */
	NETEXT_FAULT_STACK = 3,		/* a stack check found too little stack */
	NETEXT_FAULT_RESOURCE = 4,	/* cleanup table full, or unlock of a lock not held */
	NETEXT_FAULT_LEAK = 5,		/* returned still holding a resource */
	NETEXT_FAULT_TIMEOUT = 6,	/* the watchdog ended it: over budget ("watchdog") */
	NETEXT_FAULT_UNBOUND = 7,	/* a map of the app is not bound (not run) */
	NETEXT_FAULT_REDIRECT = 8,	/* returned XDP_REDIRECT without a redirect target */
	NETEXT_FAULT_MAX
};

struct netext_prog_info {
	/*
	 * in: a slot's index (0 .. NETEXT_MAX_SLOTS-1) or a program's handle; out: the
	 * program's handle, what its stub must be given (netext_slot): the index with the
	 * slot's generation above it, so a stub outlives no app.
	 */
	__u32 slot;
	__u32 hook;			/* enum netext_hook */
	__s32 fault_verdict;
	__u32 last_fault_reason;	/* enum netext_fault_reason */
	__u64 invocations;
	__u64 faults;			/* this program's */
	__u64 app_faults;		/* every program of its app */
	char app[NETEXT_NAME_LEN];
	char name[NETEXT_NAME_LEN];
};

struct netext_global_info {
	__u32 max_slots;
	__u32 stack_size;		/* bytes of each per-CPU extension stack */
	__u64 empty_slot;		/* invocations of a slot with no program */
	__u64 wrong_hook;		/* XDP stub on a tc program or the reverse */
	__u64 nested;			/* refused: the CPU was already in an extension */
	__u32 apps;
	__u32 progs;
	__u64 stale_slot;		/* a stub's handle of an app that went away */
	__u32 stack_reserve;		/* bytes below a program kept for interrupts, landing */
	__u32 stack_used_max;		/* most bytes of an extension stack ever used */
};

/*
 * Binds a BPF map (by fd, e.g. created by libbpf from the app's eBPF object) to a
 * native app's map declaration: type, key/value size, max entries and flags must
 * match. netext.ko keeps a reference until unbind or unregister. An app runs only
 * while all its maps are bound. Unbind ignores fd.
 */
struct netext_map_bind {
	char app[NETEXT_NAME_LEN];
	char map[NETEXT_NAME_LEN];
	__s32 fd;
	__u32 pad;
};

/* ENOENT if the slot is empty or the handle not the program's in it now. */
#define NETEXT_IOC_PROG_INFO _IOWR('N', 1, struct netext_prog_info)
#define NETEXT_IOC_GLOBAL_INFO _IOR('N', 2, struct netext_global_info)
/* ENOENT: no such app or map; EBUSY: already bound; EINVAL: not the declared map. */
#define NETEXT_IOC_MAP_BIND _IOW('N', 3, struct netext_map_bind)
/* ENOENT: no such app or map, or not bound. */
#define NETEXT_IOC_MAP_UNBIND _IOW('N', 4, struct netext_map_bind)

#endif
