#include "baseline.hpp"

#include <netext/loader/error.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace netext::bench {

namespace {

constexpr const char *kObject = "bmc_baseline";

// Tail-call slots, as in bmc_baseline.bpf.c.
constexpr std::array<const char *, 4> kXdpChain = {"bmc_hash_keys", "bmc_prepare_packet",
						   "bmc_write_reply", "bmc_invalidate_cache"};
constexpr std::array<const char *, 1> kTcChain = {"bmc_update_cache"};

constexpr std::array<const char *, 8> kStatNames = {
	"get_recv_count", "set_recv_count", "get_resp_count", "hit_misprediction",
	"hit_count",	  "miss_count",	    "update_count",   "invalidation_count"};

std::string errno_text(int err)
{
	return std::strerror(err < 0 ? -err : err);
}

// Writes a __u32 .rodata variable of an opened, not yet loaded object.
void set_rodata_u32(bpf_object *obj, const char *var, uint32_t value)
{
	bpf_map *ro = nullptr;
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (bpf_map__is_internal(m) &&
		    std::string_view(bpf_map__name(m)).ends_with(".rodata"))
			ro = m;
	}
	const btf *b = bpf_object__btf(obj);
	int sec = b ? btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC) : -1;
	std::size_t size = 0;
	const void *init = ro ? bpf_map__initial_value(ro, &size) : nullptr;
	if (!init || sec < 0)
		throw Error(std::string("bmc baseline: the object has no .rodata variable '") +
			    var + "'");
	const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(sec));
	const btf_var_secinfo *vs = btf_var_secinfos(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++, vs++) {
		const btf_type *v = btf__type_by_id(b, vs->type);
		if (std::string_view(btf__name_by_offset(b, v->name_off)) != var)
			continue;
		if (vs->size != sizeof(value) || vs->offset + sizeof(value) > size)
			break;
		std::vector<char> bytes(static_cast<const char *>(init),
					static_cast<const char *>(init) + size);
		std::memcpy(bytes.data() + vs->offset, &value, sizeof(value));
		if (bpf_map__set_initial_value(ro, bytes.data(), bytes.size()) != 0)
			break;
		return;
	}
	throw Error(std::string("bmc baseline: cannot set .rodata variable '") + var + "'");
}

void fill_prog_array(const loader::BpfObject &obj, const char *map,
		     std::span<const char *const> progs)
{
	int fd = obj.map_fd(map);
	for (uint32_t slot = 0; slot < progs.size(); slot++) {
		int prog = obj.program_fd(progs[slot]);
		if (bpf_map_update_elem(fd, &slot, &prog, BPF_ANY) != 0)
			throw Error(std::string("bmc baseline: cannot put ") + progs[slot] +
				    " into " + map + ": " + errno_text(errno));
	}
}

ino_t netns_inode(int fd)
{
	struct stat st {};
	if (fd >= 0 ? fstat(fd, &st) != 0 : stat("/proc/thread-self/ns/net", &st) != 0)
		return 0;
	return st.st_ino;
}

} // namespace

BaselineBmc::BaselineBmc(uint32_t entries)
	: obj_(loader::BpfObject::open_embedded(kObject)), entries_(entries)
{
	if (entries == 0)
		throw Error("bmc baseline: the cache needs at least one entry", ExitCode::Usage);
	if (bpf_map__set_max_entries(obj_.map("map_kcache"), entries) != 0)
		throw Error("bmc baseline: cannot size map_kcache to " + std::to_string(entries));
	set_rodata_u32(obj_.get(), "cache_entries", entries);
	obj_.load(); // throws with the verifier's log
	fill_prog_array(obj_, "map_progs_xdp", kXdpChain);
	fill_prog_array(obj_, "map_progs_tc", kTcChain);
}

BaselineBmc::~BaselineBmc()
{
	detach();
}

int BaselineBmc::xdp_fd() const
{
	return obj_.program_fd("bmc_rx_filter");
}

int BaselineBmc::tc_fd() const
{
	return obj_.program_fd("bmc_tx_filter");
}

void BaselineBmc::attach(int ifindex)
{
	if (attached())
		throw Error("bmc baseline: already attached (ifindex " + std::to_string(ifindex_) +
				    ")",
			    ExitCode::Conflict);
	if (ifindex <= 0)
		throw Error("bmc baseline: bad ifindex " + std::to_string(ifindex),
			    ExitCode::NotFound);

	// XDP: driver (native) mode, else generic (SKB) mode.
	uint32_t flags = XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_DRV_MODE;
	int err = bpf_xdp_attach(ifindex, xdp_fd(), flags, nullptr);
	std::string mode = "native";
	if (err == -EBUSY || err == -EEXIST)
		throw Error("bmc baseline: interface " + std::to_string(ifindex) +
				    " already has an XDP program",
			    ExitCode::Conflict);
	if (err) {
		flags = XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE;
		err = bpf_xdp_attach(ifindex, xdp_fd(), flags, nullptr);
		mode = "skb";
	}
	if (err)
		throw Error("bmc baseline: cannot attach XDP to ifindex " +
			    std::to_string(ifindex) + ": " + errno_text(err));

	// tc egress on a clsact qdisc.
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	int herr = bpf_tc_hook_create(&hook);
	bool created = herr == 0;
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = tc_fd());
	int terr = herr == 0 || herr == -EEXIST ? bpf_tc_attach(&hook, &opts) : herr;
	if (terr) {
		if (created) {
			hook.attach_point =
				static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
			bpf_tc_hook_destroy(&hook);
		}
		LIBBPF_OPTS(bpf_xdp_attach_opts, xopts, .old_prog_fd = xdp_fd());
		bpf_xdp_detach(ifindex, (flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST) | XDP_FLAGS_REPLACE,
			       &xopts);
		throw Error("bmc baseline: cannot attach tc egress to ifindex " +
			    std::to_string(ifindex) + ": " + errno_text(terr));
	}

	ifindex_ = ifindex;
	netns_fd_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	xdp_flags_ = flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST;
	xdp_mode_ = mode;
	tc_handle_ = opts.handle; // chosen by the kernel, filled in by bpf_tc_attach
	tc_priority_ = opts.priority;
	qdisc_created_ = created;
}

void BaselineBmc::detach() noexcept
{
	if (!attached())
		return;
	// Back into the namespace attach ran in, if the caller has left it.
	int back = -1;
	if (netns_fd_ >= 0 && netns_inode(netns_fd_) != netns_inode(-1)) {
		back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (back >= 0 && setns(netns_fd_, CLONE_NEWNET) != 0) {
			close(back);
			back = -1;
		}
	}

	LIBBPF_OPTS(bpf_xdp_attach_opts, xopts, .old_prog_fd = xdp_fd());
	bpf_xdp_detach(ifindex_, xdp_flags_ | XDP_FLAGS_REPLACE, &xopts);
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex_, .attach_point = BPF_TC_EGRESS);
	if (tc_handle_ != 0) {
		LIBBPF_OPTS(bpf_tc_opts, del, .handle = tc_handle_, .priority = tc_priority_);
		bpf_tc_detach(&hook, &del);
	}
	if (qdisc_created_) {
		hook.attach_point =
			static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
		bpf_tc_hook_destroy(&hook);
	}

	if (back >= 0) {
		setns(back, CLONE_NEWNET);
		close(back);
	}
	if (netns_fd_ >= 0)
		close(netns_fd_);
	netns_fd_ = -1;
	ifindex_ = 0;
	xdp_flags_ = 0;
	xdp_mode_.clear();
	tc_handle_ = 0;
	tc_priority_ = 0;
	qdisc_created_ = false;
}

std::map<std::string, uint64_t> BaselineBmc::stats() const
{
	std::vector<uint64_t> sums =
		loader::map_u64_sums(obj_.map_fd("map_stats"), 0u, kStatNames.size());
	std::map<std::string, uint64_t> out;
	for (std::size_t i = 0; i < kStatNames.size(); i++)
		out[kStatNames[i]] = sums[i];
	return out;
}

} // namespace netext::bench
