// The LB app's control plane (what `netext lb` runs): virtual services, their backends,
// and the Maglev tables, written into a live attachment's maps. Every change keeps
// traffic flowing: a VIP's table is rewritten entry by entry, only where it changes, and a
// backend leaves the table before it is marked drained or free.
//
//   Balancer lb = Balancer::open("eth0");          // the lb attached to eth0
//   Service web = Service::parse("198.18.1.10:80/tcp");
//   lb.add_vip(web);
//   lb.add_backend(web, IpAddress::parse("198.18.2.1"), 2);
//   lb.drain_backend(web, IpAddress::parse("198.18.2.1"));
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace netext::lb {

struct IpAddress {
	int family = 0;			 // AF_INET or AF_INET6
	std::array<uint8_t, 16> bytes{}; // IPv4: the first 4

	// Throws netext::Error (usage) naming the text if it is not an address.
	static IpAddress parse(const std::string &text);
	[[nodiscard]] std::string str() const;
	friend bool operator==(const IpAddress &, const IpAddress &) = default;
};

// A virtual service: ADDR:PORT/PROTO, IPv6 in brackets ("[2001:db8::10]:443/tcp");
// PROTO is tcp or udp (default tcp).
struct Service {
	IpAddress addr;
	uint16_t port = 0;
	uint8_t proto = 6;

	static Service parse(const std::string &text);
	[[nodiscard]] std::string str() const;
	friend bool operator==(const Service &, const Service &) = default;
};

// One backend of a VIP as a whole configuration names it (netext/lb/config.hpp).
struct BackendSpec {
	IpAddress addr;
	uint16_t weight = 1;
	bool draining = false;
	friend bool operator==(const BackendSpec &, const BackendSpec &) = default;
};

struct VipStatus {
	Service service;
	uint32_t index = 0;
	uint32_t backends = 0; // active ones
	uint64_t packets = 0, bytes = 0;
};

struct BackendStatus {
	IpAddress addr;
	uint32_t id = 0;   // index + 1: what the table and the stats call it
	std::string state; // "active" or "draining"
	uint16_t weight = 0;
	uint32_t entries = 0; // of the VIP's Maglev table
	uint64_t packets = 0, bytes = 0;
};

// Where the LB's maps live. The attachment's pinned maps in normal use; tests drive the
// host backend's maps through the same interface.
class LbMaps {
public:
	enum Which { Vips, Backends, Ring, Stats };
	virtual ~LbMaps() = default;
	// False if absent. Stats: `value` gets the two u64 counters summed over CPUs.
	virtual bool lookup(Which m, const void *key, void *value) = 0;
	virtual void update(Which m, const void *key, const void *value) = 0; // throws
	virtual void erase(Which m, const void *key) = 0;		      // throws
	virtual std::vector<std::vector<uint8_t>> keys(Which m) = 0;
	// Reads / writes ring entries [first, first + n).
	virtual void read_ring(uint32_t first, std::span<uint32_t> out) = 0;
	virtual void write_ring(uint32_t first, std::span<const uint32_t> entries) = 0;
	// Reads entries [0, out.size() / value_size) of an array map (Backends) at once: one
	// batched system call on the kernel's maps. By default, one lookup per entry; an entry
	// the lookup does not find reads as all-ones bytes (a backend slot in no state: never
	// given out, never anyone's).
	virtual void read_array(Which m, uint32_t value_size, std::span<uint8_t> out);
	// How many entries the Ring map has (0 if unknown). Past the VIPs' tables it holds the
	// data plane's VIP filter (lb.hpp); maps without room for it (the in-memory ones of
	// tests) go without, and the data plane then looks every packet's VIP up.
	virtual uint64_t ring_entries() { return 0; }

	// The kernel maps behind these descriptors (duplicated: the caller keeps its own).
	static std::unique_ptr<LbMaps> from_fds(int vips, int backends, int ring, int stats);
};

class Balancer {
public:
	// The lb attached to ifname (in the current network namespace). Throws if none.
	// Takes a lock on the attachment: one control-plane writer at a time.
	static Balancer open(const std::string &ifname);
	Balancer(std::unique_ptr<LbMaps> maps, uint32_t ring_size);
	Balancer(Balancer &&) noexcept;
	Balancer &operator=(Balancer &&) noexcept;
	~Balancer();

	// Each throws netext::Error with what is wrong and what to do; on error nothing changed.
	void add_vip(const Service &s);
	void del_vip(const Service &s); // its backends go with it
	[[nodiscard]] std::vector<VipStatus> vips();

	// Adds a backend (or changes its weight, or takes it back from draining).
	void add_backend(const Service &s, const IpAddress &addr, uint16_t weight = 1);
	// Removes it: its flows move to the other backends.
	void del_backend(const Service &s, const IpAddress &addr);
	// No new flows; flows that use it now keep it.
	void drain_backend(const Service &s, const IpAddress &addr);
	[[nodiscard]] std::vector<BackendStatus> backends(const Service &s);

	// Gives the VIP (created if absent) exactly these backends in one step that keeps traffic
	// flowing: backends that join or change are written before the table names them, the
	// table is rebuilt once (only the entries that change are written), backends that leave
	// are drained before it and freed after it; a new VIP is published only once its table
	// is complete. Returns the number of table entries written. Throws, with nothing
	// changed, on a backend of the other family, a weight of 0, an address given twice, or
	// too few free VIP or backend slots.
	uint32_t set_vip(const Service &s, std::span<const BackendSpec> backends);

	[[nodiscard]] uint32_t ring_size() const noexcept { return ring_size_; }

private:
	struct VipRef;
	struct Slots;
	VipRef find(const Service &s);
	Slots slots(); // every backend slot, read at once
	uint32_t take_out_of_table(const Service &s, const IpAddress &addr);
	uint32_t free_vip_index();
	void reclaim(uint32_t vip_index, Slots &slots);
	void write_filter(const void *adding); // a VipKey about to be published, or none
	uint32_t rebuild(uint32_t vip_index, const Slots &slots); // returns the entries written
	std::unique_ptr<LbMaps> maps_;
	uint32_t ring_size_;
	int lock_fd_ = -1;
};

} // namespace netext::lb
