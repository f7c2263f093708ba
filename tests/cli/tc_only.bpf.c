// A user's tc-only program (no XDP): counts ingress packets. Named *_ingress so netext
// knows its hook without a descriptor.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("tc")
int count_ingress(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&seen, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0; /* TC_ACT_OK */
}

char _license[] SEC("license") = "GPL";
