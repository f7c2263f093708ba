// The line-rate LB load generator's XDP programs (bench/linerate/lb_linerate.cpp):
//
//   lbgen  run by BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on the client's veth:
//          writes one UDP datagram to the VIP from one of F established flows (its source
//          port: FLOW_PORT + the flow, drawn uniformly), the flow and a magic word in the
//          payload; XDP_TX to the LB.
//   lbsink attached to the same veth: the LB sends each datagram on, IP-in-IP, to a backend
//          whose address the client end answers for (static neighbour entries on the LB's
//          side). lbsink checks every one -- the inner datagram is the one sent (VIP, port,
//          flow, magic), the outer destination one of the backends -- records which backend
//          each flow went to (a flow that changes backend is counted), counts and drops it.
//          Everything else passes.
//
// In live-frames mode a frame's page comes back with whatever the last user wrote in it, so
// lbgen rewrites the whole frame every time; its length is fixed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define FRAME_LEN    58 /* Ethernet 14, IPv4 20, UDP 8, payload 16 */
#define PORT_OFF     34 /* the UDP source port */
#define FLOW_OFF     46 /* the payload's flow (after its 4-byte magic), little-endian */
#define FLOW_PORT    1024
#define MAX_FLOWS    (65536 - FLOW_PORT)
#define MAX_BACKENDS 64
#define MAGIC	     0x4e584c42 /* "NXLB" as a little-endian u32 */

struct lb_cfg {
	__u32 flows;	    // F
	__u32 backend_base; // the first backend's address (host order)
	__u32 backends;	    // backends are backend_base .. + backends - 1
	__u32 vip;	    // network order
	__u8 frame[64];	    // the first FRAME_LEN bytes (flow 0), padded
};

enum lb_counter {
	L_FORWARDED, // IP-in-IP datagrams checked: the datagram sent, to a backend
	L_BAD,	     // IP-in-IP that is not a datagram lbgen sent, or not to a backend
	L_MOVED,     // a flow's datagram at a backend other than its first one
	L_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lb_cfg);
} lb_cfg SEC(".maps");

struct gen_state {
	__u64 rng;
	__u64 sent;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_state);
} lb_state SEC(".maps");

// Per flow: 1 + the backend's index it went to first (0: none yet).
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FLOWS);
	__type(key, __u32);
	__type(value, __u32);
} flow_backend SEC(".maps");

// Per backend: datagrams received.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_BACKENDS);
	__type(key, __u32);
	__type(value, __u64);
} backend_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, L_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lb_counters SEC(".maps");

static __always_inline __u64 next_rand(__u64 *s)
{
	__u64 x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

SEC("xdp")
int lbgen(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct lb_cfg *cfg = bpf_map_lookup_elem(&lb_cfg, &zero);
	struct gen_state *st = bpf_map_lookup_elem(&lb_state, &zero);
	if (!cfg || !st)
		return XDP_ABORTED;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + FRAME_LEN > data_end)
		return XDP_ABORTED;
	__u64 *dst = data;
	__u64 *src = (__u64 *)cfg->frame;
	for (int i = 0; i < 7; i++) // bytes 0..55
		dst[i] = src[i];
	__u8 *d8 = data;
	d8[56] = cfg->frame[56];
	d8[57] = cfg->frame[57];
	__u32 flow = (__u32)(((__u64)(__u32)next_rand(&st->rng) * cfg->flows) >> 32);
	__u32 port = FLOW_PORT + flow;
	d8[PORT_OFF] = port >> 8;
	d8[PORT_OFF + 1] = port & 0xff;
	__builtin_memcpy(d8 + FLOW_OFF, &flow, 4);
	st->sent++;
	return XDP_TX;
}

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&lb_counters, &which);
	if (c)
		*c += 1;
}

SEC("xdp")
int lbsink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > data_end || outer->protocol != IPPROTO_IPIP)
		return XDP_PASS;
	__u32 zero = 0;
	struct lb_cfg *cfg = bpf_map_lookup_elem(&lb_cfg, &zero);
	if (!cfg)
		return XDP_PASS;
	struct iphdr *inner = (void *)(outer + 1);
	struct udphdr *udp = (void *)(inner + 1);
	__u8 *pl = (void *)(udp + 1);
	if (outer->ihl != 5 || (void *)(pl + 16) > data_end || inner->ihl != 5 ||
	    inner->protocol != IPPROTO_UDP || inner->daddr != cfg->vip) {
		count(L_BAD);
		return XDP_DROP;
	}
	__u32 magic, flow;
	__builtin_memcpy(&magic, pl, 4);
	__builtin_memcpy(&flow, pl + 4, 4);
	__u32 backend = bpf_ntohl(outer->daddr) - cfg->backend_base;
	if (magic != MAGIC || flow >= MAX_FLOWS || bpf_ntohs(udp->source) != FLOW_PORT + flow ||
	    backend >= cfg->backends || backend >= MAX_BACKENDS) {
		count(L_BAD);
		return XDP_DROP;
	}
	__u32 *first = bpf_map_lookup_elem(&flow_backend, &flow);
	if (!first)
		return XDP_DROP;
	if (*first == 0)
		*first = backend + 1;
	else if (*first != backend + 1)
		count(L_MOVED);
	__u64 *b = bpf_map_lookup_elem(&backend_count, &backend);
	if (b)
		*b += 1;
	count(L_FORWARDED);
	return XDP_DROP;
}

// The server end's drop sink: what the generator alone can offer (nothing forwards).
SEC("xdp")
int lbdrop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
