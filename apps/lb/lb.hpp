// lb: an XDP layer-4 load balancer (Katran's class). The layout of its maps, shared by
// the program, its descriptor, the control plane (libnetext, `netext lb`) and the tests.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/byteorder.hpp>

namespace netext::lb {

inline constexpr uint32_t kMaxVips = 64;
inline constexpr uint32_t kMaxBackends = 1024;
inline constexpr uint32_t kMaxRingSize = 65537; // Maglev table entries per VIP (a prime)
inline constexpr uint32_t kDefaultRingSize = 65537;
inline constexpr uint32_t kDefaultConns = 65536; // connection-table entries

// The VIP filter: one bit per hash of a VIP's (address, port, protocol, family), so that a
// packet for no VIP is passed without a hash-map lookup and an established flow is sent
// on from its connection-table entry alone. It lives in lb_ring after the last VIP's
// table (at kMaxVips * ring_size: kFilterWords words of 32 bits, then kFilterOn), which
// keeps the LB's maps as they are for every tool that binds them. The control plane sets
// a VIP's bit before the VIP is published and clears it after it is gone; until it has
// written kFilterOn (maps it does not manage this way) every packet is looked up.
inline constexpr uint32_t kFilterBits = 1u << 16;
inline constexpr uint32_t kFilterWords = kFilterBits / 32;
inline constexpr uint32_t kFilterOn = 0x6c62f11e;
inline constexpr uint32_t kRingEntries = kMaxVips * kMaxRingSize + kFilterWords + 1;
// Outer source addresses: this /16 (IPv4) or /64 (IPv6), the rest from the flow hash, so
// that receivers spread one VIP's flows over their queues (RSS hashes the outer header).
inline constexpr uint32_t kDefaultSrc4 = 0xc6130000;		 // 198.19.0.0/16
inline constexpr uint64_t kDefaultSrc6 = 0x20010db8'0000ffffull; // 2001:db8:0:ffff::/64

enum Family : uint8_t { Ipv4 = 4, Ipv6 = 6 };

// An address as four 32-bit words in network byte order (IPv4: the first word, the rest 0).
using Addr = array<uint32_t, 4>;

// A virtual service: address, port, protocol.
struct VipKey {
	Addr addr;
	be16 port;
	uint8_t proto; // 6 TCP, 17 UDP
	uint8_t family;
};

struct Vip {
	uint32_t index; // into lb_ring (index * ring_size) and the VIP stats
	uint32_t flags; // reserved
};

enum BackendState : uint8_t { Free = 0, Active = 1, Draining = 2 };

// lb_backends[i]; the ring and the connection table name it as i + 1 (0: none).
struct Backend {
	Addr addr;
	uint8_t family;
	uint8_t state;
	uint16_t weight;
	uint32_t vip; // the VIP's index
	uint32_t gen; // bumped whenever the slot is given to a backend: stale flows re-pick
};

// A flow as the connection table keys it (the VIP is the destination).
struct FlowKey {
	Addr src;
	Addr dst;
	be16 sport;
	be16 dport;
	uint8_t proto;
	uint8_t family;
	uint16_t pad;
};

struct Conn {
	uint32_t backend; // index + 1
	uint32_t gen;	  // the backend slot's gen when the flow was assigned
	uint32_t hash;	  // flow_hash of the flow: not computed again for its packets
};

// lb_nexthops[backend index] (per CPU): where the kernel's FIB last said to send that
// backend's packets, reused until `expires` (a tick_now() count) so that most packets skip
// the lookup.
struct NextHop {
	uint64_t expires;
	uint32_t ifindex;
	uint32_t gen; // the backend slot's gen it was looked up for
	array<uint8_t, 6> smac;
	array<uint8_t, 6> dmac;
	uint32_t pad;
};
inline constexpr uint64_t kNextHopTtlNs = 1'000'000'000; // neighbour changes seen within 1 s

struct Counter {
	uint64_t packets;
	uint64_t bytes;
};

// lb_stats slots: these first, then one per VIP index, then one per backend index.
enum Stat : uint32_t {
	NonVip,	      // passed: not for a VIP (or not TCP/UDP, or a fragment)
	ConnHits,     // a packet's flow was in the connection table
	ConnMisses,   // it was not (or its backend is gone): the Maglev table chose
	Syns,	      // TCP SYNs: always the Maglev table
	NoBackend,    // dropped: the VIP has no active backend
	Malformed,    // passed untouched: a header present but broken
	IcmpTooBig,   // ICMP fragmentation-needed / packet-too-big for a VIP, forwarded
	Transmitted,  // encapsulated and sent back out (XDP_TX) or redirected
	ToStack,      // encapsulated and passed: the kernel forwards it (no neighbour yet)
	EncapErrors,  // dropped: no room to encapsulate, or the packet is too big for it
	kGlobalStats, //
};
inline constexpr uint32_t kVipStatBase = kGlobalStats;
inline constexpr uint32_t kBackendStatBase = kVipStatBase + kMaxVips;
inline constexpr uint32_t kStatSlots = kBackendStatBase + kMaxBackends;

inline constexpr char kStatNames[kGlobalStats][16] = {
	"non_vip",   "conn_hits",    "conn_misses", "syns",	"no_backend",
	"malformed", "icmp_too_big", "transmitted", "to_stack", "encap_errors"};

// The flow hash: picks the Maglev entry and the outer source address. Murmur3's finaliser
// over the source address, ports and protocol (the VIP is implied by the table).
[[gnu::always_inline]] constexpr uint32_t mix32(uint32_t h) noexcept
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

// A VIP's bit in the filter (see kFilterBits).
[[gnu::always_inline]] constexpr uint32_t vip_filter_bit(const Addr &a, be16 port, uint8_t proto,
							 uint8_t family) noexcept
{
	uint32_t h = a.get<0>() ^ (a.get<1>() * 0x9e3779b1u) ^ (a.get<2>() * 0x85ebca6bu) ^
		     (a.get<3>() * 0xc2b2ae35u);
	h ^= static_cast<uint32_t>(port.raw()) << 16 | static_cast<uint32_t>(proto) << 8 | family;
	return mix32(h) & (kFilterBits - 1);
}

// Always inlined: an eBPF object cannot call into a function section of its own.
[[gnu::always_inline]] constexpr uint32_t flow_hash(const FlowKey &k) noexcept
{
	uint32_t h = 0x9747b28cu;
	h = mix32(h ^ k.src.get<0>()) * 5 + 0xe6546b64u;
	h = mix32(h ^ k.src.get<1>()) * 5 + 0xe6546b64u;
	h = mix32(h ^ k.src.get<2>()) * 5 + 0xe6546b64u;
	h = mix32(h ^ k.src.get<3>()) * 5 + 0xe6546b64u;
	uint32_t ports = static_cast<uint32_t>(k.sport.raw()) << 16 | k.dport.raw();
	h = mix32(h ^ ports) * 5 + 0xe6546b64u;
	return mix32(h ^ k.proto);
}

} // namespace netext::lb
