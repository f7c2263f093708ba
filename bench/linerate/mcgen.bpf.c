// The line-rate memcached load generator's two XDP programs (bench/linerate/linegen.hpp):
//
//   mcgen  run by BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on the client's veth:
//          writes one UDP "get k1 .. kK\r\n" request into the frame, keys drawn uniformly or
//          from a Zipf distribution (alias table), a share of them from keys never stored
//          (misses); records the request (keys, time) under its request id; XDP_TX.
//   mcsink attached to the client's veth: checks every memcached answer -- its request id
//          names a request sent, each VALUE carries a key of that request (in order) and
//          that key's value, the layout is memcached's -- counts and times it, drops it.
//          Everything else passes (the warm-up's TCP).
//
// Request ids are memcached's 16 bits: the 65537th request reuses the first one's id. An
// overloaded server (seen through the DPDK bump's queues) can answer a request after its id
// was reused, so each reuse of an id goes out from the next of 256 client ports
// (PORT_BASE + the id's round, mod 256): an answer whose port is not its id's current round
// is late (counted apart, neither answered nor an error), not a wrong answer.
//
// Keys are "k" and 7 hex digits; a key's value is the key four times (32 bytes), flags 0.
// In live-frames mode a frame's page comes back with whatever the last user wrote in it
// (a BMC reply), so mcgen rewrites the whole frame every time; its length is fixed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define MAX_KEYS      32
#define HDR_LEN	      53   /* Ethernet 14, IPv4 20, UDP 8, memcached frame 8, "get" 3 */
#define MC_OFF	      42   /* the memcached frame header */
#define VALUE_REC     55   /* "VALUE " key " 0 32\r\n" value "\r\n" */
#define LAT_BUCKETS   1024 /* 1 us each; the last one collects the rest */
#define MAX_KEY_SPACE (1 << 20)
#define PORT_OFF      34    /* the UDP source port */
#define PORT_BASE     40000 /* client ports PORT_BASE .. PORT_BASE + 255 */

struct gen_cfg {
	__u32 key_space;    // N keys: k0000000 .. N-1 are stored
	__u32 keys_per_get; // K
	__u32 miss_thresh;  // a key is a miss key (N..2N-1, never stored) if rand < this
	__u32 zipf;	    // 1: draw through the alias table, 0: uniform
	__u8 hdr[56];	    // the first HDR_LEN bytes (request id 0), padded
};

struct alias_entry {
	__u32 prob; // keep i if rand < prob, else take alias
	__u32 alias;
};

struct sent_req {
	__u64 ts;
	__u32 nkeys;
	__u16 pos;   // keys answered so far (answers come in request order)
	__u16 round; // which reuse of the id (its client port: PORT_BASE + round)
	__u64 keys[MAX_KEYS];
};

enum sink_counter {
	C_ANSWERS,    // answers complete ("END")
	C_VALUES,     // VALUEs checked (hits)
	C_BAD_FORMAT, // not memcached's layout for our keys
	C_BAD_VALUE,  // a VALUE whose data is not its key's
	C_BAD_ID,     // a VALUE naming a key its request id's request did not ask (in order)
	C_DATAGRAMS,  // answer datagrams seen
	C_LAT_SUM_NS,
	C_LATE, // answer datagrams to an earlier round of their id (see above)
	C_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_cfg);
} gen_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_KEY_SPACE);
	__type(key, __u32);
	__type(value, struct alias_entry);
} gen_alias SEC(".maps");

// Per CPU: the request id counter and the PRNG state (xorshift64*).
struct gen_state {
	__u64 next_id;
	__u64 rng;
	__u64 sent;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_state);
} gen_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct sent_req);
} gen_sent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, C_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sink_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LAT_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} sink_latency SEC(".maps");

static __always_inline __u64 next_rand(__u64 *s)
{
	__u64 x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

// "k" and idx as 7 hex digits, little-endian in a u64 (byte 0 is 'k').
static __always_inline __u64 key_word(__u32 idx)
{
	__u64 w = 'k';
	for (int i = 0; i < 7; i++) {
		__u32 n = (idx >> (4 * (6 - i))) & 15;
		__u64 c = n + '0' + (n > 9 ? 39 : 0);
		w |= c << (8 * (i + 1));
	}
	return w;
}

static __always_inline __u32 scale(__u32 r, __u32 n)
{
	return (__u32)(((__u64)r * n) >> 32);
}

SEC("xdp")
int mcgen(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct gen_cfg *cfg = bpf_map_lookup_elem(&gen_cfg, &zero);
	struct gen_state *st = bpf_map_lookup_elem(&gen_state, &zero);
	if (!cfg || !st)
		return XDP_ABORTED;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + HDR_LEN + 2 > data_end)
		return XDP_ABORTED;
	__u64 *dst = data;
	__u64 *src = (__u64 *)cfg->hdr;
	for (int i = 0; i < 6; i++) // bytes 0..47
		dst[i] = src[i];
	__u8 *d8 = data;
	for (int i = 48; i < HDR_LEN; i++)
		d8[i] = cfg->hdr[i];
	__u64 seq = st->next_id++;
	__u32 id = (__u32)(seq & 0xffff);
	__u32 round = (__u32)(seq >> 16) & 0xff;
	d8[MC_OFF] = id >> 8;
	d8[MC_OFF + 1] = id & 0xff;
	d8[PORT_OFF] = (PORT_BASE + round) >> 8;
	d8[PORT_OFF + 1] = (PORT_BASE + round) & 0xff;
	struct sent_req *rec = bpf_map_lookup_elem(&gen_sent, &id);
	if (!rec)
		return XDP_ABORTED;
	__u32 n = cfg->key_space;
	__u32 k = cfg->keys_per_get;
	__u64 rng = st->rng;
	__u8 *p = d8 + HDR_LEN;
	__u32 i;
	for (i = 0; i < MAX_KEYS && i < k; i++) {
		if ((void *)(p + 9) > data_end)
			return XDP_ABORTED;
		__u64 r = next_rand(&rng);
		__u32 r1 = (__u32)r, r2 = (__u32)(r >> 32);
		__u32 idx;
		if (r1 < cfg->miss_thresh) {
			idx = n + scale(r2, n);
		} else if (cfg->zipf) {
			__u32 slot = scale(r2, n);
			struct alias_entry *a = bpf_map_lookup_elem(&gen_alias, &slot);
			if (!a)
				return XDP_ABORTED;
			__u32 r3 = (__u32)next_rand(&rng);
			idx = r3 < a->prob ? slot : a->alias;
		} else {
			idx = scale(r2, n);
		}
		__u64 w = key_word(idx);
		p[0] = ' ';
		__builtin_memcpy(p + 1, &w, 8);
		rec->keys[i & (MAX_KEYS - 1)] = w;
		p += 9;
	}
	if ((void *)(p + 2) > data_end)
		return XDP_ABORTED;
	p[0] = '\r';
	p[1] = '\n';
	st->rng = rng;
	st->sent++;
	rec->nkeys = i;
	rec->pos = 0;
	rec->round = round;
	rec->ts = bpf_ktime_get_ns();
	return XDP_TX;
}

static __always_inline void count(__u32 which, __u64 by)
{
	__u64 *c = bpf_map_lookup_elem(&sink_counters, &which);
	if (c)
		*c += by;
}

// memcached's answer for one key of ours: "VALUE kXXXXXXX 0 32\r\n" + value + "\r\n".
#define W_VALUE 0x2045554c4156ULL     /* "VALUE " little-endian (6 bytes) */
#define W_FLAGS 0x0a0d323320302000ULL /* " 0 32\r\n" at bytes 1..7 (byte 0 masked) */

SEC("xdp")
int mcsink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || udp->source != bpf_htons(11211))
		return XDP_PASS;
	__u8 *p = (void *)(udp + 1);
	if ((void *)(p + 8) > data_end) {
		count(C_BAD_FORMAT, 1);
		return XDP_DROP;
	}
	count(C_DATAGRAMS, 1);
	__u32 id = ((__u32)p[0] << 8) | p[1];
	struct sent_req *rec = bpf_map_lookup_elem(&gen_sent, &id);
	if (!rec)
		return XDP_DROP;
	__u32 round = (__u32)bpf_ntohs(udp->dest) - PORT_BASE;
	if (round > 255) {
		count(C_BAD_FORMAT, 1);
		return XDP_DROP;
	}
	if (round != rec->round) {
		count(C_LATE, 1);
		return XDP_DROP;
	}
	p += 8;
	__u32 values = 0;
	for (int v = 0; v <= MAX_KEYS; v++) {
		if ((void *)(p + 5) > data_end)
			break;
		if ((void *)(p + 5) == data_end && p[0] == 'E' && p[1] == 'N' && p[2] == 'D' &&
		    p[3] == '\r' && p[4] == '\n') {
			__u64 lat = (bpf_ktime_get_ns() - rec->ts);
			__u32 us = lat / 1000;
			if (us >= LAT_BUCKETS)
				us = LAT_BUCKETS - 1;
			__u64 *b = bpf_map_lookup_elem(&sink_latency, &us);
			if (b)
				*b += 1;
			count(C_ANSWERS, 1);
			count(C_LAT_SUM_NS, lat);
			count(C_VALUES, values);
			return XDP_DROP;
		}
		if ((void *)(p + VALUE_REC) > data_end)
			break;
		__u64 head, key, flags;
		__builtin_memcpy(&head, p, 8);
		__builtin_memcpy(&key, p + 6, 8);
		__builtin_memcpy(&flags, p + 13, 8);
		if ((head & 0xffffffffffffULL) != W_VALUE || (flags & ~0xffULL) != W_FLAGS ||
		    p[53] != '\r' || p[54] != '\n')
			break;
		for (int j = 0; j < 4; j++) {
			__u64 w;
			__builtin_memcpy(&w, p + 21 + 8 * j, 8);
			if (w != key) {
				count(C_BAD_VALUE, 1);
				return XDP_DROP;
			}
		}
		__u32 pos = rec->pos, n = rec->nkeys;
		int found = 0;
		for (int j = 0; j < MAX_KEYS; j++) {
			__u32 at = pos;
			if (at >= n)
				break;
			asm volatile("" : "+r"(at)); // keep the mask below in the program
			at &= MAX_KEYS - 1;
			pos++;
			if (rec->keys[at] == key) {
				found = 1;
				break;
			}
		}
		if (!found) {
			count(C_BAD_ID, 1);
			return XDP_DROP;
		}
		rec->pos = pos;
		values++;
		p += VALUE_REC;
	}
	// a datagram of values without END (memcached splits a multi-get) is fine; anything
	// else that is left is not memcached's layout
	if ((void *)p != data_end)
		count(C_BAD_FORMAT, 1);
	count(C_VALUES, values);
	return XDP_DROP;
}

// The server end's drop sink: what the generator alone can offer (nothing answers).
SEC("xdp")
int mcdrop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
