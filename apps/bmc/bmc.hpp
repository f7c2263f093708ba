// BMC: an in-kernel look-aside cache for memcached's UDP GETs (after "BMC: Accelerating
// Memcached using Safe In-kernel Caching and Pre-stack Processing", NSDI 2021). The
// layout of its maps, shared by the program, its descriptor and the tests.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/parsers/memcached.hpp>
#include <netext/runtime.hpp>

namespace netext::bmc {

inline constexpr uint16_t kDefaultPort = 11211;
inline constexpr uint32_t kDefaultEntries = 16384;
inline constexpr uint32_t kMaxEntries = 1u << 20;
inline constexpr uint32_t kDefaultValueLimit = 1000; // bytes of data, as published
inline constexpr uint32_t kDefaultGraceMs = 20;
// Invalidations are time-stamped in the kernel's ticks (jiffies, netext::tick_now()): a
// lease is refused for grace_ms plus at most one tick (10 ms, HZ=100 at the lowest) after
// an invalidation.
inline constexpr uint32_t kGraceTickMs = 10;
inline constexpr uint32_t kDefaultMaxReply = 1500; // IP packet of a reply: the link MTU

// An entry keeps memcached's own answer for a key, "VALUE <key> <flags> <bytes>[ <cas>]\r\n
// <data>\r\n", as three pieces: the head up to <bytes>, the " <cas>" (empty if the answer
// came for a plain get) and the tail from the "\r\n". The head and cas take < 512 bytes
// (a 250-byte key and three numbers), the tail at most 2048.
inline constexpr uint32_t kHeadMask = 511;
inline constexpr uint32_t kTailMask = 2047;
inline constexpr uint32_t kTextCap = kHeadMask + 1 + kTailMask + 1;
inline constexpr uint32_t kMaxValueLimit = kTailMask + 1 - 4; // "\r\n" around the data
inline constexpr uint32_t kKeyOff = 6;			      // after "VALUE "

enum Stat : uint32_t {
	Hits,	       // GETs answered from the cache
	Misses,	       // GETs passed to memcached: a key not cached (leases granted)
	Invalidations, // keys invalidated by TCP requests (flush_all counts once)
	Fills,	       // entries written from memcached's answers
	Passes,	       // other traffic, and GETs whose answer would not fit a frame
	Errors,	       // malformed frame headers and GETs passed, torn reads retried
	Flushes,       // whole cache invalidated: flush_all, requests BMC cannot follow
	kStats,
};
// Their names (netext stats, the descriptor, the tests), in Stat's order.
inline constexpr char kStatNames[kStats][16] = {"hits",	  "misses", "invalidations", "fills",
						"passes", "errors", "flushes"};

// The slot of a key whose memcached::key_hash() is `hash`, in a cache of `entries` slots:
// the hash scaled to [0, entries) by a multiply (Lemire's fast range) rather than a
// division (a 32-bit div takes 26 cycles on the Skylake-class CPUs this was measured on,
// per GET key, SET and fill). key_hash()'s high bits are as mixed as its low ones.
constexpr uint32_t slot_of(uint32_t hash, uint32_t entries) noexcept
{
	return static_cast<uint32_t>((uint64_t{hash} * entries) >> 32);
}

// One slot of the direct-mapped cache (index: slot_of() the key's memcached::key_hash()).
//
// Consistency (see README "BMC"): `seq` is a seqlock a fill holds (odd) while it writes; a
// reader copies the entry and checks `seq` did not move. Invalidation never waits: it
// bumps `gen` (or the global generation), and an entry is valid only while `epoch` equals
// `gen` + the global generation. A fill must present a lease: granted by the GET that
// missed (tag of client, port, request id and key; epoch at that moment), and refused if
// the slot or the whole cache was invalidated less than `grace_ms` before.
struct Entry {
	Atomic<uint32_t> seq;
	Atomic<uint32_t> gen;
	uint32_t epoch;
	uint32_t hash;
	Atomic<uint64_t> lease;	     // tag << 32 | epoch
	Atomic<uint64_t> inval_tick; // tick_now() of the last invalidation
	uint16_t key_len;
	uint16_t head_len;
	uint16_t cas_len;
	uint16_t tail_len;
	uint16_t sum_head; // RFC 1071 sums of the pieces, each as if at an even offset
	uint16_t sum_cas;
	uint16_t sum_tail;
	uint16_t filled;
	array<uint8_t, kTextCap> text;
};

struct Global {
	Atomic<uint32_t> gen; // bumped by flush_all and by TCP requests BMC cannot follow
	uint32_t pad;
	Atomic<uint64_t> inval_tick;
};

// ---- TCP streams ----
//
// memcached reads each connection as one stream of commands, data blocks after storage
// lines, wherever segments split it. BMC follows that framing per connection, so that a
// value that looks like a command is never taken for one, and a command after a data block
// (or after another command in the same segment) is never missed. A connection is
// followed from memcached's SYN-ACK (seen at tc egress: the kernel sends one only for a
// connection it accepted); every segment of it must then start where the last one ended.
// Whatever BMC cannot follow -- a connection it did not see start, a retransmission, a gap,
// a line it cannot read -- flushes the whole cache, for that segment and every later one
// of the connection (its framing is lost).
inline constexpr uint32_t kFlowSlots = 65536; // direct-mapped: a new connection takes its slot

enum FlowMode : uint32_t {
	Synced = 0,	     // the next command starts at cmd_seq (past next_seq: in a data block)
	InLine = 1,	     // the next segment continues a line that cannot change a key
	InLineModifying = 2, // ... a line that can (delete, incr, touch...): it flushes
	Lost = 3,	     // framing lost: every segment flushes
};

struct Flow {
	Atomic<uint32_t> lock;	   // odd while a CPU updates the slot (tried, never waited on)
	uint32_t mode;		   // FlowMode
	array<uint32_t, 4> client; // the client's address (IPv4 as ::ffff:a.b.c.d)
	uint32_t cport;		   // its port (network order)
	uint32_t next_seq;	   // where the connection's next segment must start
	uint32_t cmd_seq;   // where its next command starts (beyond next_seq: in a data block)
	uint32_t pend_hash; // key_hash of the storage command whose data block that is
};

inline constexpr uint32_t kStashMask = 2047; // a request up to 2048 bytes is kept

// What bmc_command found in a TCP segment (see there).
struct StepResult {
	uint32_t next;	    // where the next command starts (mode Synced, data_end 0)
	uint32_t data_end;  // not 0: a data block goes on past the segment, up to here
	uint32_t pend_hash; // the key it stores
	uint32_t mode;	    // FlowMode
};

// Per-CPU working memory of one request: the request parsed (keys with their hashes),
// the entries a hit reads, and the request it overwrites (put back if an entry changed
// under the copy).
struct Scratch {
	memcached::Request req;
	array<uint32_t, memcached::kMaxGetKeys> slot;
	array<uint32_t, memcached::kMaxGetKeys> seq;
	array<uint8_t, kStashMask + 1> stash;
	uint32_t text_off; // the GET staged for bmc_serve
	uint32_t request_id;
	uint32_t front_first; // the last reply grew at the front (see grow())
	StepResult step;
};

} // namespace netext::bmc
