/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel differences netext.ko meets between the kernels it is built for
 * (Debian 12's 6.1 and Debian 13's / bookworm-backports' 6.12), each behind one
 * feature test with its reason. Add a kernel: build kmod/ against its headers
 * (cmake -DNETEXT_KERNELS=...), and put whatever breaks here, nowhere else.
 */
#ifndef NETEXT_COMPAT_H
#define NETEXT_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/module.h>
#include <linux/version.h>

/*
 * 6.11 moved the per-CPU bpf_redirect_info into the task's bpf_net_context
 * (set by NAPI, the XDP generic path and BPF_PROG_TEST_RUN around a program).
 */
static __always_inline struct bpf_redirect_info *netext_redirect_info(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return bpf_net_ctx_get_ri();
#else
	return this_cpu_ptr(&bpf_redirect_info);
#endif
}

/*
 * 6.9's register_btf_kfunc_id_set refuses a set not flagged BTF_SET8_KFUNCS,
 * which only BTF_KFUNCS_START sets (6.1 has neither).
 */
#ifdef BTF_KFUNCS_START
#define NETEXT_KFUNCS_START(name) BTF_KFUNCS_START(name)
#define NETEXT_KFUNCS_END(name) BTF_KFUNCS_END(name)
#else
#define NETEXT_KFUNCS_START(name) BTF_SET8_START(name)
#define NETEXT_KFUNCS_END(name) BTF_SET8_END(name)
#endif

/*
 * 6.12 exports bpf_map_get (map binding) in the BPF_INTERNAL symbol namespace;
 * Kbuild defines NETEXT_NS_BPF_INTERNAL when the headers' Module.symvers says so.
 * (MODULE_INFO, not MODULE_IMPORT_NS: its argument changed to a string in 6.13.)
 */
#ifdef NETEXT_NS_BPF_INTERNAL
#define NETEXT_MODULE_IMPORTS MODULE_INFO(import_ns, "BPF_INTERNAL")
#else
#define NETEXT_MODULE_IMPORTS
#endif

#endif /* NETEXT_COMPAT_H */
