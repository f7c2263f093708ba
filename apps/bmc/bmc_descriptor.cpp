// What user space knows about the BMC app: hooks, knobs, maps, stats layout.
#include <netext/loader/app.hpp>

#include "bmc.hpp"

#include <iterator>

using namespace netext::loader;
using namespace netext::bmc;

namespace {

const AppRegistration registration{AppDescriptor{
	.name = "bmc",
	.summary = "in-kernel memcached cache: UDP GET hits answered from XDP, filled at tc "
		   "egress, invalidated by every modifying request",
	.hooks = {{HookPoint::Xdp, "bmc_rx"}, {HookPoint::TcEgress, "bmc_tx"}},
	.knobs = {{"port", "memcached's UDP/TCP port (default 11211)", Knob::Kind::Rodata, "", 1,
		   65535},
		  {"entries", "cache slots (default 16384; ~2.6 KB each)", Knob::Kind::MapEntries,
		   "bmc_cache", 1, kMaxEntries},
		  {"value_limit", "largest value cached, in bytes (default 1000)",
		   Knob::Kind::Rodata, "", 1, kMaxValueLimit},
		  {"grace_ms",
		   "no fill of a key for this long (plus up to one kernel tick, at most 10 ms) "
		   "after a request changed it (default 20)",
		   Knob::Kind::Rodata, "", 0, 60000},
		  {"max_reply", "largest IP packet a hit may send: the link MTU (default 1500)",
		   Knob::Kind::Rodata, "", 68, 9000}},
	.maps = {{"bmc_cache",
		  "the cache: one entry per slot (seqlock, generations, answer)",
		  {},
		  {}},
		 {"bmc_global", "global generation (flush_all) and its time", {}, {}},
		 {"bmc_scratch", "per-CPU working memory of a GET", {}, {}},
		 {"bmc_flows",
		  "TCP connections followed from their SYN-ACK: where the next command starts",
		  {},
		  {}},
		 {"bmc_stats",
		  "per-CPU counters (see netext stats)",
		  {{"stat", Field::Type::U32, 0, 4}},
		  {{"count", Field::Type::U64, 0, 8}}}},
	.stats = {"bmc_stats", {std::begin(kStatNames), std::end(kStatNames)}, {"count"}},
}};

} // namespace
