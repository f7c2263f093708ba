// The counter app written by hand in C, in the usual libbpf style, with exactly the
// semantics of apps/counter (same classes, same checks, same map layout): the baseline
// for "the SDK costs nothing". tests/ebpf checks both count the same on one corpus.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum {
	IPV4_TCP,
	IPV4_UDP,
	IPV4_ICMP,
	IPV4_OTHER,
	IPV6_TCP,
	IPV6_UDP,
	IPV6_ICMP,
	IPV6_OTHER,
	ARP,
	OTHER,
	MALFORMED,
	CLASSES
};
enum { HOOK_XDP, HOOK_TC_INGRESS, HOOK_TC_EGRESS, HOOKS };

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HOOKS *CLASSES);
	__type(key, __u32);
	__type(value, struct counter);
} stats SEC(".maps");

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

static __always_inline int is_vlan(__be16 p)
{
	return p == bpf_htons(ETH_P_8021Q) || p == bpf_htons(ETH_P_8021AD);
}

static __always_inline int is_ext(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

static __always_inline int classify(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return MALFORMED;
	void *pos = eth + 1;
	__be16 proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (!is_vlan(proto))
			break;
		struct vlan_hdr *vh = pos;
		if ((void *)(vh + 1) > data_end)
			return MALFORMED;
		proto = vh->proto;
		pos = vh + 1;
	}
	if (is_vlan(proto))
		return MALFORMED;

	void *l3_end, *l4;
	__u8 ipproto;
	int base;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = pos;
		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5)
			return MALFORMED;
		__u32 hlen = ip->ihl * 4, tot = bpf_ntohs(ip->tot_len);
		// Older verifiers (6.1) lose the range of a byte-swapped value, and clang may
		// add before comparing: bound it and pin it, as the SDK does.
		if (tot > 0x7fff)
			return MALFORMED;
		barrier_var(tot);
		if (tot < hlen || pos + tot > data_end)
			return MALFORMED;
		l3_end = pos + tot;
		l4 = pos + hlen;
		ipproto = ip->protocol;
		base = IPV4_TCP;
		if (ip->frag_off & bpf_htons(0x3fff))
			return IPV4_OTHER;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = pos;
		if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
			return MALFORMED;
		__u32 tot = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
		if (tot > 0x7fff)
			return MALFORMED;
		barrier_var(tot);
		if (pos + tot > data_end)
			return MALFORMED;
		l3_end = pos + tot;
		__u8 nh = ip6->nexthdr;
		void *cur = ip6 + 1;
		int frag = 0;
		int i;
		for (i = 0; i < 6; i++) {
			if (!is_ext(nh))
				break;
			if (nh == 0 && i != 0)
				return MALFORMED;
			__u8 *eh = cur;
			if ((void *)(eh + 2) > data_end)
				return MALFORMED;
			__u32 len;
			if (nh == 44) {
				if ((void *)(eh + 8) > data_end)
					return MALFORMED;
				len = 8;
				frag = 1;
			} else {
				len = nh == 51 ? (eh[1] + 2) * 4 : (eh[1] + 1) * 8;
			}
			if (cur + len > l3_end)
				return MALFORMED;
			nh = eh[0];
			cur += len;
		}
		if (is_ext(nh))
			return MALFORMED;
		l4 = cur;
		ipproto = nh;
		base = IPV6_TCP;
		if (frag)
			return IPV6_OTHER;
	} else {
		return proto == bpf_htons(ETH_P_ARP) ? ARP : OTHER;
	}

	if (ipproto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end || (void *)(tcp + 1) > l3_end)
			return MALFORMED;
		__u32 doff = tcp->doff * 4;
		if (doff < sizeof(*tcp) || l4 + doff > l3_end)
			return MALFORMED;
		return base + 0;
	}
	if (ipproto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end || (void *)(udp + 1) > l3_end)
			return MALFORMED;
		__u32 len = bpf_ntohs(udp->len);
		if (len > 0x7fff)
			return MALFORMED;
		barrier_var(len);
		if (len < sizeof(*udp) || l4 + len > l3_end)
			return MALFORMED;
		return base + 1;
	}
	if ((ipproto == IPPROTO_ICMP && base == IPV4_TCP) ||
	    (ipproto == IPPROTO_ICMPV6 && base == IPV6_TCP)) {
		if (l4 + 8 > data_end || l4 + 8 > l3_end)
			return MALFORMED;
		return base + 2;
	}
	return base + 3;
}

static __always_inline void count(__u32 hook, void *data, void *data_end)
{
	__u32 key = hook * CLASSES + classify(data, data_end);
	struct counter *c = bpf_map_lookup_elem(&stats, &key);
	if (c) {
		c->packets += 1;
		c->bytes += data_end - data;
	}
}

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	count(HOOK_XDP, (void *)(long)ctx->data, (void *)(long)ctx->data_end);
	return XDP_PASS;
}

SEC("tc")
int count_tc_ingress(struct __sk_buff *skb)
{
	count(HOOK_TC_INGRESS, (void *)(long)skb->data, (void *)(long)skb->data_end);
	return 0;
}

SEC("tc")
int count_tc_egress(struct __sk_buff *skb)
{
	count(HOOK_TC_EGRESS, (void *)(long)skb->data, (void *)(long)skb->data_end);
	return 0;
}

char _license[] SEC("license") = "GPL";
