// SPDX-License-Identifier: GPL-2.0
/*
 * The native backend's eBPF stubs: all they do is call into netext.ko, which
 * runs the native program registered in netext_slot. The loader sets the slot
 * in .rodata before loading (one loaded copy per slot), so the verifier sees a
 * constant. netext_empty is the baseline for measuring the dispatch cost.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

extern int netext_xdp_run(struct xdp_md *ctx, __u32 slot) __ksym;
extern int netext_tc_run(struct __sk_buff *ctx, __u32 slot) __ksym;

const volatile __u32 netext_slot = 0;

SEC("xdp")
int netext_xdp(struct xdp_md *ctx)
{
	return netext_xdp_run(ctx, netext_slot);
}

SEC("tc")
int netext_tc(struct __sk_buff *ctx)
{
	return netext_tc_run(ctx, netext_slot);
}

SEC("xdp")
int netext_empty(struct xdp_md *ctx __attribute__((unused)))
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
