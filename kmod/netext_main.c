// SPDX-License-Identifier: GPL-2.0
/*
 * netext.ko: runs native (x86-64) data-plane programs from a tiny eBPF stub.
 * Where things are (netext_internal.h has the list): the kfuncs, dispatcher,
 * landing pad (netext_landing_pad) and watchdog in netext_dispatch.c; entering
 * the extension stack and netext_fault in netext_enter.S; the runtime helpers in
 * netext_helpers.c and netext_fib.c; apps, slots and map binding in
 * netext_registry.c; /dev/netext in netext_dev.c. This file: init and exit.
 */
#define pr_fmt(fmt) "netext: " fmt

#include <linux/filter.h>
#include <linux/module.h>

#include "netext_compat.h"
#include "netext_internal.h"

static int __init netext_init(void)
{
	int err;

	BUILD_BUG_ON(NETEXT_FAULT_TIMEOUT != 6);	/* NETEXT_WD_REASON in the assembly */
	/* the C++ SDK's copy of the ABI (dataplane/include/netext/native/runtime.hpp) */
	BUILD_BUG_ON(sizeof(struct netext_fib) != 60 || offsetof(struct netext_fib, dmac) != 54);
	BUILD_BUG_ON(sizeof(struct netext_ctx) != 40 || sizeof(struct netext_map_desc) != 40);
	BUILD_BUG_ON(BPF_FIB_LKUP_RET_SUCCESS != 0 || BPF_FIB_LKUP_RET_NO_NEIGH != 7);
	err = netext_stacks_init();
	if (err)
		return err;
	err = netext_registry_init();
	if (err)
		goto err_stacks;
	err = netext_dev_init();
	if (err)
		goto err_registry;
	err = netext_kfuncs_register();
	if (err) {
		pr_err("cannot register kfuncs (%d): does the module have BTF?\n", err);
		goto err_dev;
	}
	pr_info("ready: %u slots, %u KiB extension stack per CPU (%u KiB reserve), watchdog %u us\n",
		NETEXT_MAX_SLOTS, NETEXT_STACK_SIZE / 1024, NETEXT_STACK_RESERVE / 1024, watchdog_us);
	return 0;

err_dev:
	netext_dev_exit();
err_registry:
	netext_registry_exit();
err_stacks:
	netext_stacks_free();
	return err;
}

static void __exit netext_exit(void)
{
	/* apps depend on our symbols and stubs hold a module reference: both gone */
	netext_dev_exit();
	netext_registry_exit();
	netext_stacks_free();
}

module_init(netext_init);
module_exit(netext_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("netext native backend: kfunc dispatcher, extension stacks, landing pad");
NETEXT_MODULE_IMPORTS;
