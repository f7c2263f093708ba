// Empty XDP and tc programs: what BPF_PROG_TEST_RUN itself costs per call, subtracted from
// the BMC figures (netext-bench-bmc-cost); empty_xdp also serves as the XDP_PASS program a
// veth peer needs for XDP_TX frames to arrive (netext-bench-bmc-e2e).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int empty_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int empty_tc(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
