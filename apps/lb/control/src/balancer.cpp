// The LB control plane: see netext/lb/balancer.hpp.
#include <netext/lb/balancer.hpp>
#include <netext/lb/maglev.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "lb.hpp" // the data plane: its maps' layout

namespace netext::lb {

using loader::Attachment;
using loader::attachments;
using loader::map_u64_sums;
using loader::open_pinned_map;
using loader::possible_cpus;

// ---- addresses and services -----------------------------------------------------------

IpAddress IpAddress::parse(const std::string &text)
{
	IpAddress a;
	if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
		a.family = AF_INET;
		return a;
	}
	if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
		a.family = AF_INET6;
		return a;
	}
	throw Error("'" + text + "' is not an IPv4 or IPv6 address", ExitCode::Usage);
}

std::string IpAddress::str() const
{
	char buf[INET6_ADDRSTRLEN] = {};
	inet_ntop(family, bytes.data(), buf, sizeof(buf));
	return buf;
}

Service Service::parse(const std::string &text)
{
	auto bad = [&](const std::string &why) {
		return Error("service '" + text + "': " + why +
				     " (write ADDR:PORT/PROTO, e.g. 198.18.1.10:80/tcp or "
				     "[2001:db8::10]:443/udp)",
			     ExitCode::Usage);
	};
	Service s;
	std::string rest = text;
	if (auto slash = rest.rfind('/'); slash != std::string::npos) {
		std::string proto = rest.substr(slash + 1);
		if (proto == "tcp")
			s.proto = 6;
		else if (proto == "udp")
			s.proto = 17;
		else
			throw bad("protocol '" + proto + "' is neither tcp nor udp");
		rest.resize(slash);
	}
	std::string host, port;
	if (rest.starts_with("[")) {
		auto close = rest.find("]:");
		if (close == std::string::npos)
			throw bad("an IPv6 address needs brackets and a port");
		host = rest.substr(1, close - 1);
		port = rest.substr(close + 2);
	} else {
		auto colon = rest.rfind(':');
		if (colon == std::string::npos)
			throw bad("no port");
		host = rest.substr(0, colon);
		port = rest.substr(colon + 1);
		if (host.find(':') != std::string::npos)
			throw bad("an IPv6 address needs brackets");
	}
	char *end = nullptr;
	unsigned long p = std::strtoul(port.c_str(), &end, 10);
	if (port.empty() || *end != '\0' || p == 0 || p > 65535)
		throw bad("port '" + port + "' is not in 1..65535");
	s.port = static_cast<uint16_t>(p);
	s.addr = IpAddress::parse(host);
	return s;
}

std::string Service::str() const
{
	// Appended piece by piece: GCC 12 at -O3 takes `"[" + s + "]"` for an overlapping
	// memcpy (-Wrestrict, a known false positive).
	std::string out;
	if (addr.family == AF_INET6)
		out += '[';
	out += addr.str();
	if (addr.family == AF_INET6)
		out += ']';
	out += ':';
	out += std::to_string(port);
	out += proto == 17 ? "/udp" : "/tcp";
	return out;
}

namespace {

Addr to_addr(const IpAddress &a)
{
	Addr r{};
	std::memcpy(&r, a.bytes.data(), a.family == AF_INET ? 4 : 16);
	return r;
}

IpAddress from_addr(const Addr &r, uint8_t family)
{
	IpAddress a;
	a.family = family == Ipv6 ? AF_INET6 : AF_INET;
	std::memcpy(a.bytes.data(), &r, family == Ipv6 ? 16 : 4);
	return a;
}

VipKey key_of(const Service &s)
{
	VipKey k{};
	k.addr = to_addr(s.addr);
	k.port = be16::from_host(s.port);
	k.proto = s.proto;
	k.family = s.addr.family == AF_INET6 ? Ipv6 : Ipv4;
	return k;
}

// ---- the attachment's pinned maps ----------------------------------------------------------

class PinnedMaps : public LbMaps {
public:
	explicit PinnedMaps(const Attachment &a)
	{
		const char *names[] = {"lb_vips", "lb_backends", "lb_ring", "lb_stats"};
		for (int i = 0; i < 4; i++)
			fds_[i] = open_pinned_map(a, names[i]);
	}
	// Takes ownership of the descriptors.
	explicit PinnedMaps(std::array<int, 4> fds)
	{
		for (int i = 0; i < 4; i++)
			fds_[i] = fds[static_cast<std::size_t>(i)];
	}
	~PinnedMaps() override
	{
		for (int fd : fds_)
			if (fd >= 0)
				close(fd);
	}
	PinnedMaps(const PinnedMaps &) = delete;
	PinnedMaps &operator=(const PinnedMaps &) = delete;

	bool lookup(Which m, const void *key, void *value) override
	{
		if (m == Stats) {
			uint32_t slot = 0;
			std::memcpy(&slot, key, 4);
			std::vector<uint64_t> v = map_u64_sums(fds_[m], slot, 2);
			std::memcpy(value, v.data(), 16);
			return true;
		}
		return bpf_map_lookup_elem(fds_[m], key, value) == 0;
	}
	void update(Which m, const void *key, const void *value) override
	{
		if (m == Stats) { // zeroes a slot on every CPU
			std::vector<uint8_t> zero(16 * static_cast<std::size_t>(possible_cpus()));
			check(bpf_map_update_elem(fds_[m], key, zero.data(), BPF_ANY), "update");
			return;
		}
		check(bpf_map_update_elem(fds_[m], key, value, BPF_ANY), "update");
	}
	void erase(Which m, const void *key) override
	{
		check(bpf_map_delete_elem(fds_[m], key), "delete from");
	}
	std::vector<std::vector<uint8_t>> keys(Which m) override
	{
		bpf_map_info info{};
		uint32_t len = sizeof(info);
		check(bpf_obj_get_info_by_fd(fds_[m], &info, &len), "inspect");
		std::vector<std::vector<uint8_t>> out;
		std::vector<uint8_t> k(info.key_size), next(info.key_size);
		const void *prev = nullptr;
		while (bpf_map_get_next_key(fds_[m], prev, next.data()) == 0) {
			out.push_back(next);
			k = next;
			prev = k.data();
		}
		return out;
	}
	void read_ring(uint32_t first, std::span<uint32_t> out) override
	{
		if (read_batch(Ring, first, sizeof(uint32_t), out.size(), out.data()))
			return;
		for (uint32_t i = 0; i < out.size(); i++) { // kernels without batch lookups
			uint32_t key = first + i;
			check(bpf_map_lookup_elem(fds_[Ring], &key, &out[i]), "read");
		}
	}
	uint64_t ring_entries() override
	{
		bpf_map_info info{};
		uint32_t len = sizeof(info);
		check(bpf_obj_get_info_by_fd(fds_[Ring], &info, &len), "inspect");
		return info.max_entries;
	}
	void read_array(Which m, uint32_t value_size, std::span<uint8_t> out) override
	{
		if (!read_batch(m, 0, value_size, out.size() / value_size, out.data()))
			LbMaps::read_array(m, value_size, out);
	}
	void write_ring(uint32_t first, std::span<const uint32_t> entries) override
	{
		std::vector<uint32_t> keys(entries.size());
		for (uint32_t i = 0; i < entries.size(); i++)
			keys[i] = first + i;
		write_ring_keys(keys, entries);
	}

private:
	// Entries [first, first + n) of an array map in batched lookups (one system call for
	// up to the whole map); false if the kernel has no batch lookups for it.
	bool read_batch(Which m, uint32_t first, uint32_t value_size, std::size_t n, void *out)
	{
		std::vector<uint32_t> keys(n);
		auto *values = static_cast<uint8_t *>(out);
		std::size_t done = 0;
		while (done < n) {
			// in_batch names the entry before the first wanted (none for entry 0).
			uint32_t in = first + static_cast<uint32_t>(done) - 1, next = 0;
			auto count = static_cast<uint32_t>(n - done);
			int rc = bpf_map_lookup_batch(fds_[m], first + done == 0 ? nullptr : &in,
						      &next, keys.data() + done,
						      values + done * value_size, &count, nullptr);
			// Without batch lookups (first call fails) the caller reads one by one.
			if (rc != 0 && errno != ENOENT) {
				if (done == 0)
					return false;
				check(rc, "read");
			}
			if (count == 0)
				break;
			done += count;
			if (rc != 0)
				break;
		}
		if (done != n)
			throw Error("cannot read a map of the lb: " + std::to_string(done) +
				    " of " + std::to_string(n) + " entries");
		return true;
	}
	void write_ring_keys(std::span<const uint32_t> keys, std::span<const uint32_t> values)
	{
		uint32_t count = static_cast<uint32_t>(keys.size());
		if (count == 0)
			return;
		if (bpf_map_update_batch(fds_[Ring], keys.data(), values.data(), &count, nullptr) ==
		    0)
			return;
		for (std::size_t i = 0; i < keys.size(); i++) // kernels without batch updates
			check(bpf_map_update_elem(fds_[Ring], &keys[i], &values[i], BPF_ANY),
			      "update");
	}
	static void check(int rc, const char *what)
	{
		if (rc != 0)
			throw Error(std::string("cannot ") + what +
				    " a map of the lb: " + std::strerror(errno));
	}
	int fds_[4] = {-1, -1, -1, -1};
};

std::string backend_text(const Service &s, const IpAddress &a)
{
	return "backend " + a.str() + " of " + s.str();
}

} // namespace

void LbMaps::read_array(Which m, uint32_t value_size, std::span<uint8_t> out)
{
	for (uint32_t i = 0; i < out.size() / value_size; i++)
		if (!lookup(m, &i, out.data() + std::size_t{i} * value_size))
			std::memset(out.data() + std::size_t{i} * value_size, 0xff, value_size);
}

std::unique_ptr<LbMaps> LbMaps::from_fds(int vips, int backends, int ring, int stats)
{
	std::array<int, 4> fds = {dup(vips), dup(backends), dup(ring), dup(stats)};
	for (int fd : fds)
		if (fd < 0) {
			for (int f : fds)
				if (f >= 0)
					close(f);
			throw Error(std::string("cannot use the lb's maps: ") +
				    std::strerror(errno));
		}
	return std::make_unique<PinnedMaps>(fds);
}

// ---- Balancer ---------------------------------------------------------------------------

struct Balancer::VipRef {
	VipKey key;
	Vip vip;
};

Balancer Balancer::open(const std::string &ifname)
{
	std::vector<Attachment> all = attachments(ifname);
	for (const Attachment &a : all) {
		if (a.app != "lb")
			continue;
		uint32_t ring = kDefaultRingSize;
		if (auto it = a.config.find("ring_size"); it != a.config.end())
			ring = static_cast<uint32_t>(std::stoul(it->second, nullptr, 0));
		int fd = ::open(a.pin_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || flock(fd, LOCK_EX) != 0) {
			if (fd >= 0)
				close(fd);
			throw Error("cannot lock " + a.pin_dir + ": " + std::strerror(errno));
		}
		Balancer b(std::make_unique<PinnedMaps>(a), ring);
		b.lock_fd_ = fd;
		return b;
	}
	throw Error("the lb is not attached to " + ifname + " (attach it first: 'netext " +
			    "attach " + ifname + " lb')",
		    ExitCode::NotFound);
}

Balancer::Balancer(std::unique_ptr<LbMaps> maps, uint32_t ring_size)
	: maps_(std::move(maps)), ring_size_(ring_size)
{}
Balancer::Balancer(Balancer &&o) noexcept
	: maps_(std::move(o.maps_)), ring_size_(o.ring_size_), lock_fd_(o.lock_fd_)
{
	o.lock_fd_ = -1;
}
Balancer &Balancer::operator=(Balancer &&o) noexcept
{
	std::swap(maps_, o.maps_);
	std::swap(ring_size_, o.ring_size_);
	std::swap(lock_fd_, o.lock_fd_);
	return *this;
}
Balancer::~Balancer()
{
	if (lock_fd_ >= 0)
		close(lock_fd_);
}

Balancer::VipRef Balancer::find(const Service &s)
{
	VipRef r{key_of(s), {}};
	if (!maps_->lookup(LbMaps::Vips, &r.key, &r.vip))
		throw Error("no VIP " + s.str() + " (see 'netext lb IFACE vip list')",
			    ExitCode::NotFound);
	return r;
}

// Every backend slot as one read: the control plane finds a VIP's backends and the free
// slots here instead of looking slots up one by one (1024 system calls, two or three
// times per change before); what it writes is only what changes.
struct Balancer::Slots {
	std::vector<Backend> at = std::vector<Backend>(kMaxBackends);
	// The lowest free slot, kMaxBackends if none.
	[[nodiscard]] uint32_t first_free() const
	{
		for (uint32_t i = 0; i < kMaxBackends; i++)
			if (at[i].state == Free)
				return i;
		return kMaxBackends;
	}
	// The slot of the VIP's backend with that address, kMaxBackends if none.
	[[nodiscard]] uint32_t find(uint32_t vip, const Addr &a) const
	{
		for (uint32_t i = 0; i < kMaxBackends; i++)
			if (at[i].state != Free && at[i].vip == vip && at[i].addr == a)
				return i;
		return kMaxBackends;
	}
};

Balancer::Slots Balancer::slots()
{
	Slots s;
	maps_->read_array(LbMaps::Backends, sizeof(Backend),
			  std::span<uint8_t>(reinterpret_cast<uint8_t *>(s.at.data()),
					     s.at.size() * sizeof(Backend)));
	return s;
}

// Frees the backends a VIP index still names although no VIP has it: left by a `vip del`
// or a new VIP's set_vip that was interrupted. Before the index is given to a new VIP,
// so that VIP never inherits them.
void Balancer::reclaim(uint32_t vip_index, Slots &sl)
{
	for (uint32_t i = 0; i < kMaxBackends; i++) {
		Backend &b = sl.at[i];
		if (b.state == Free || b.vip != vip_index)
			continue;
		b.state = Free;
		maps_->update(LbMaps::Backends, &i, &b);
	}
}

// The VIP filter (lb.hpp, kFilterBits) for the VIPs there are and `adding`, written whole in
// order: the bits, then the word that turns it on. A VIP's bit is set before the VIP is
// published and cleared after it is gone; a bit left set by an interruption only costs its
// packets a lookup.
void Balancer::write_filter(const void *adding)
{
	const uint64_t base = uint64_t{kMaxVips} * ring_size_;
	if (maps_->ring_entries() < base + kFilterWords + 1)
		return;
	std::vector<uint32_t> words(kFilterWords + 1);
	auto set = [&](const void *raw) {
		VipKey k{};
		std::memcpy(&k, raw, sizeof(k));
		uint32_t bit = vip_filter_bit(k.addr, k.port, k.proto, k.family);
		words[bit >> 5] |= 1u << (bit & 31);
	};
	for (const auto &k : maps_->keys(LbMaps::Vips))
		set(k.data());
	if (adding)
		set(adding);
	words[kFilterWords] = kFilterOn;
	maps_->write_ring(static_cast<uint32_t>(base), words);
}

void Balancer::add_vip(const Service &s)
{
	VipKey key = key_of(s);
	Vip existing{};
	if (maps_->lookup(LbMaps::Vips, &key, &existing))
		throw Error("VIP " + s.str() + " exists already", ExitCode::Conflict);
	uint32_t index = free_vip_index();
	Slots sl = slots();
	reclaim(index, sl);
	std::vector<uint32_t> zero(ring_size_);
	maps_->write_ring(index * ring_size_, zero);
	uint32_t slot = kVipStatBase + index;
	maps_->update(LbMaps::Stats, &slot, nullptr);
	write_filter(&key);
	Vip v{index, 0};
	maps_->update(LbMaps::Vips, &key, &v); // published last, complete
}

// The lowest VIP index no VIP uses; throws if all are taken.
uint32_t Balancer::free_vip_index()
{
	std::vector<bool> used(kMaxVips);
	for (const auto &k : maps_->keys(LbMaps::Vips)) {
		Vip v{};
		if (maps_->lookup(LbMaps::Vips, k.data(), &v) && v.index < kMaxVips)
			used[v.index] = true;
	}
	uint32_t index = 0;
	while (index < kMaxVips && used[index])
		index++;
	if (index == kMaxVips)
		throw Error("the lb has " + std::to_string(kMaxVips) +
				    " VIPs already, its maximum (delete one first)",
			    ExitCode::Conflict);
	return index;
}

void Balancer::del_vip(const Service &s)
{
	// The VIP's key goes last: until then the VIP and its index are its own, so an
	// interrupted deletion is finished by running it again, and its index (with backends
	// that still name it) is never given to another VIP. Meanwhile its packets find no
	// backend and are dropped.
	VipRef r = find(s);
	std::vector<uint32_t> zero(ring_size_);
	maps_->write_ring(r.vip.index * ring_size_, zero);
	Slots sl = slots();
	for (uint32_t i = 0; i < kMaxBackends; i++) {
		Backend &b = sl.at[i];
		if (b.state != Free && b.vip == r.vip.index) {
			b.state = Free;
			maps_->update(LbMaps::Backends, &i, &b);
		}
	}
	maps_->erase(LbMaps::Vips, &r.key); // from here on its traffic passes
	write_filter(nullptr);
}

std::vector<VipStatus> Balancer::vips()
{
	std::vector<VipStatus> out;
	std::vector<uint32_t> active(kMaxVips);
	Slots sl = slots();
	for (const Backend &b : sl.at)
		if (b.state == Active && b.vip < kMaxVips)
			active[b.vip]++;
	for (const auto &k : maps_->keys(LbMaps::Vips)) {
		VipKey key{};
		std::memcpy(&key, k.data(), sizeof(key));
		Vip v{};
		if (!maps_->lookup(LbMaps::Vips, &key, &v))
			continue;
		VipStatus st;
		st.service.addr = from_addr(key.addr, key.family);
		st.service.port = key.port.host();
		st.service.proto = key.proto;
		st.index = v.index;
		st.backends = v.index < kMaxVips ? active[v.index] : 0;
		uint64_t c[2] = {};
		uint32_t slot = kVipStatBase + v.index;
		if (v.index < kMaxVips && maps_->lookup(LbMaps::Stats, &slot, c)) {
			st.packets = c[0];
			st.bytes = c[1];
		}
		out.push_back(st);
	}
	std::sort(out.begin(), out.end(),
		  [](const VipStatus &a, const VipStatus &b) { return a.index < b.index; });
	return out;
}

void Balancer::add_backend(const Service &s, const IpAddress &addr, uint16_t weight)
{
	VipRef r = find(s);
	if ((addr.family == AF_INET6) != (r.key.family == Ipv6))
		throw Error(backend_text(s, addr) +
				    ": the backend's family must be the VIP's (IPv4 VIPs are "
				    "sent IP-in-IP to IPv4 backends, IPv6 VIPs IPv6-in-IPv6)",
			    ExitCode::Usage);
	if (weight == 0)
		throw Error(backend_text(s, addr) +
				    ": weight 0; use 'backend drain' or 'backend del' instead",
			    ExitCode::Usage);
	Addr a = to_addr(addr);
	Slots sl = slots();
	if (uint32_t i = sl.find(r.vip.index, a); i != kMaxBackends) {
		Backend &b = sl.at[i];
		b.state = Active; // a weight change, or back from draining
		b.weight = weight;
		maps_->update(LbMaps::Backends, &i, &b);
		rebuild(r.vip.index, sl);
		return;
	}
	uint32_t free_slot = sl.first_free();
	if (free_slot == kMaxBackends)
		throw Error("the lb has " + std::to_string(kMaxBackends) +
				    " backends already, its maximum (delete some first)",
			    ExitCode::Conflict);
	Backend &b = sl.at[free_slot];
	b = Backend{a, r.key.family, Active, weight, r.vip.index, b.gen + 1};
	uint32_t slot = kBackendStatBase + free_slot;
	maps_->update(LbMaps::Stats, &slot, nullptr);
	maps_->update(LbMaps::Backends, &free_slot, &b);
	rebuild(r.vip.index, sl);
}

// Marks the backend draining and rebuilds the table without it; returns its slot.
uint32_t Balancer::take_out_of_table(const Service &s, const IpAddress &addr)
{
	VipRef r = find(s);
	Slots sl = slots();
	uint32_t i = sl.find(r.vip.index, to_addr(addr));
	if (i == kMaxBackends)
		throw Error("no " + backend_text(s, addr) + " (see 'netext lb IFACE backend list " +
				    s.str() + "')",
			    ExitCode::NotFound);
	sl.at[i].state = Draining;
	maps_->update(LbMaps::Backends, &i, &sl.at[i]);
	rebuild(r.vip.index, sl);
	return i;
}

void Balancer::del_backend(const Service &s, const IpAddress &addr)
{
	// Out of the table first (as drained: its flows still reach it meanwhile), then
	// free: its remaining flows re-pick from the new table.
	uint32_t i = take_out_of_table(s, addr);
	Backend b{};
	maps_->lookup(LbMaps::Backends, &i, &b);
	b.state = Free;
	maps_->update(LbMaps::Backends, &i, &b);
}

void Balancer::drain_backend(const Service &s, const IpAddress &addr)
{
	take_out_of_table(s, addr);
}

uint32_t Balancer::set_vip(const Service &s, std::span<const BackendSpec> want)
{
	// Everything is checked before the first write.
	const uint8_t family = s.addr.family == AF_INET6 ? Ipv6 : Ipv4;
	for (std::size_t i = 0; i < want.size(); i++) {
		const BackendSpec &w = want[i];
		if ((w.addr.family == AF_INET6) != (family == Ipv6))
			throw Error(backend_text(s, w.addr) +
					    ": the backend's family must be the VIP's (IPv4 VIPs "
					    "are sent IP-in-IP to IPv4 backends, IPv6 VIPs "
					    "IPv6-in-IPv6)",
				    ExitCode::Usage);
		if (w.weight == 0)
			throw Error(backend_text(s, w.addr) +
					    ": weight 0; a backend that takes no new flows is "
					    "draining",
				    ExitCode::Usage);
		for (std::size_t j = 0; j < i; j++)
			if (want[j].addr == w.addr)
				throw Error(backend_text(s, w.addr) + " is given twice",
					    ExitCode::Usage);
	}
	VipKey key = key_of(s);
	Vip vip{};
	const bool exists = maps_->lookup(LbMaps::Vips, &key, &vip);
	if (!exists)
		vip = Vip{free_vip_index(), 0};
	// Every slot: the VIP's backends (the slot of each wanted one, or kMaxBackends), the
	// free ones, and (for a new VIP) those its index still names from an interrupted
	// change, which are freed before the index is used.
	Slots sl = slots();
	std::vector<Backend> &slots = sl.at;
	std::vector<uint32_t> free_slots, leaving;
	std::vector<uint32_t> slot_of(want.size(), kMaxBackends);
	for (uint32_t i = 0; i < kMaxBackends; i++) {
		Backend &b = slots[i];
		if (b.state == Free) {
			free_slots.push_back(i);
			continue;
		}
		if (b.vip != vip.index)
			continue;
		if (!exists) { // a leftover (see reclaim)
			free_slots.push_back(i);
			continue;
		}
		std::size_t w = 0;
		while (w < want.size() && to_addr(want[w].addr) != b.addr)
			w++;
		if (w < want.size())
			slot_of[w] = i;
		else
			leaving.push_back(i);
	}
	std::sort(free_slots.begin(), free_slots.end());
	const auto joining =
		static_cast<std::size_t>(std::count(slot_of.begin(), slot_of.end(), kMaxBackends));
	if (joining > free_slots.size())
		throw Error("VIP " + s.str() + " needs " + std::to_string(joining) +
				    " more backends, the lb has " +
				    std::to_string(free_slots.size()) + " free of " +
				    std::to_string(kMaxBackends) + " (delete some first)",
			    ExitCode::Conflict);

	if (!exists) {
		reclaim(vip.index, sl);
		uint32_t slot = kVipStatBase + vip.index;
		maps_->update(LbMaps::Stats, &slot, nullptr);
	}
	// 1. Joining and changed backends, before the table names them.
	std::size_t next_free = 0;
	for (std::size_t w = 0; w < want.size(); w++) {
		const uint8_t state = want[w].draining ? Draining : Active;
		uint32_t i = slot_of[w];
		if (i == kMaxBackends) {
			i = free_slots[next_free++];
			uint32_t stat = kBackendStatBase + i;
			maps_->update(LbMaps::Stats, &stat, nullptr);
			slots[i] = Backend{to_addr(want[w].addr), family,    state,
					   want[w].weight,	  vip.index, slots[i].gen + 1};
			maps_->update(LbMaps::Backends, &i, &slots[i]);
			continue;
		}
		Backend &b = slots[i];
		if (b.state == state && b.weight == want[w].weight)
			continue;
		b.state = state;
		b.weight = want[w].weight;
		maps_->update(LbMaps::Backends, &i, &b);
	}
	// 2. Leaving backends drained (their flows still reach them), the table rebuilt once.
	for (uint32_t i : leaving)
		if (slots[i].state != Draining) {
			slots[i].state = Draining;
			maps_->update(LbMaps::Backends, &i, &slots[i]);
		}
	uint32_t written = rebuild(vip.index, sl);
	// 3. Leaving backends freed: their remaining flows re-pick from the new table.
	for (uint32_t i : leaving) {
		slots[i].state = Free;
		maps_->update(LbMaps::Backends, &i, &slots[i]);
	}
	if (!exists) { // published once complete
		write_filter(&key);
		maps_->update(LbMaps::Vips, &key, &vip);
	}
	return written;
}

std::vector<BackendStatus> Balancer::backends(const Service &s)
{
	VipRef r = find(s);
	std::vector<uint32_t> ring(ring_size_);
	maps_->read_ring(r.vip.index * ring_size_, ring);
	std::vector<uint32_t> entries(kMaxBackends + 1);
	for (uint32_t id : ring)
		if (id <= kMaxBackends)
			entries[id]++;
	std::vector<BackendStatus> out;
	Slots sl = slots();
	for (uint32_t i = 0; i < kMaxBackends; i++) {
		const Backend &b = sl.at[i];
		if (b.state == Free || b.vip != r.vip.index)
			continue;
		BackendStatus st;
		st.addr = from_addr(b.addr, b.family);
		st.id = i + 1;
		st.state = b.state == Active ? "active" : "draining";
		st.weight = b.weight;
		st.entries = entries[i + 1];
		uint64_t c[2] = {};
		uint32_t slot = kBackendStatBase + i;
		if (maps_->lookup(LbMaps::Stats, &slot, c)) {
			st.packets = c[0];
			st.bytes = c[1];
		}
		out.push_back(st);
	}
	return out;
}

// Recomputes a VIP's Maglev table from its active backends (a function of that set only, so
// every balancer of a fleet agrees; see maglev_table) and writes only the entries that change.
uint32_t Balancer::rebuild(uint32_t vip_index, const Slots &sl)
{
	std::vector<MaglevBackend> list;
	for (uint32_t i = 0; i < kMaxBackends; i++) {
		const Backend &b = sl.at[i];
		if (b.state == Active && b.vip == vip_index)
			list.push_back({i + 1, from_addr(b.addr, b.family).str(), b.weight});
	}
	uint32_t first = vip_index * ring_size_;
	std::vector<uint32_t> old(ring_size_);
	maps_->read_ring(first, old);
	std::vector<uint32_t> table = maglev_table(list, ring_size_);
	// Changed runs, written in one call each.
	uint32_t written = 0;
	for (uint32_t i = 0; i < ring_size_;) {
		if (table[i] == old[i]) {
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < ring_size_ && table[j] != old[j])
			j++;
		maps_->write_ring(first + i, std::span<const uint32_t>(table).subspan(i, j - i));
		written += j - i;
		i = j;
	}
	return written;
}

} // namespace netext::lb
