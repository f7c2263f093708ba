// What user space knows about the LB app: hooks, knobs, maps, stats layout, and its CLI
// command (`netext lb`).
#include <netext/loader/app.hpp>

#include "cli/lb_command.hpp"
#include "lb.hpp"

using namespace netext::loader;
using namespace netext::lb;

namespace {

std::vector<std::string> slot_names()
{
	std::vector<std::string> names;
	for (const char(&n)[16] : kStatNames)
		names.emplace_back(n);
	for (uint32_t i = 0; i < kMaxVips; i++)
		names.push_back("vip#" + std::to_string(i));
	for (uint32_t i = 0; i < kMaxBackends; i++)
		names.push_back("backend#" + std::to_string(i + 1));
	return names;
}

const AppRegistration registration{AppDescriptor{
	.name = "lb",
	.summary = "L4 load balancer: VIPs to weighted backends by Maglev hashing and a "
		   "connection table, IP-in-IP / IPv6-in-IPv6 to the backends (configure with "
		   "'netext lb')",
	.hooks = {{HookPoint::Xdp, "lb_rx"}},
	.knobs = {{.name = "ring_size",
		   .summary = "Maglev table entries per VIP, a prime (default 65537)",
		   .kind = Knob::Kind::Rodata,
		   .map = "",
		   .min = 2,
		   .max = kMaxRingSize,
		   .format = Knob::Format::Integer,
		   .prime = true},
		  {.name = "conns",
		   .summary = "connection-table entries (default 65536)",
		   .kind = Knob::Kind::MapEntries,
		   .map = "lb_conns",
		   .min = 1,
		   .max = 1u << 24,
		   .format = Knob::Format::Integer,
		   .prime = false},
		  {.name = "encap_src4",
		   .summary = "outer IPv4 source /16; the low 16 bits come from the flow hash "
			      "(default 198.19.0.0)",
		   .kind = Knob::Kind::Rodata,
		   .map = "",
		   .min = 0,
		   .max = UINT64_MAX,
		   .format = Knob::Format::Ipv4,
		   .prime = false},
		  {.name = "encap_src6",
		   .summary = "outer IPv6 source /64; the low 64 bits come from the flow hash "
			      "(default 2001:db8:0:ffff::)",
		   .kind = Knob::Kind::Rodata,
		   .map = "",
		   .min = 0,
		   .max = UINT64_MAX,
		   .format = Knob::Format::Ipv6Prefix64,
		   .prime = false}},
	.maps = {{"lb_vips",
		  "VIPs (address, port, protocol, family) -> index",
		  {{"addr", Field::Type::Bytes, 0, 16},
		   {"port", Field::Type::Be16, 16, 2},
		   {"proto", Field::Type::U8, 18, 1},
		   {"family", Field::Type::U8, 19, 1}},
		  {{"index", Field::Type::U32, 0, 4}, {"flags", Field::Type::U32, 4, 4}}},
		 {"lb_backends",
		  "backends by index - 1 (state 0 free, 1 active, 2 draining)",
		  {{"index", Field::Type::U32, 0, 4}},
		  {{"addr", Field::Type::Bytes, 0, 16},
		   {"family", Field::Type::U8, 16, 1},
		   {"state", Field::Type::U8, 17, 1},
		   {"weight", Field::Type::U16, 18, 2},
		   {"vip", Field::Type::U32, 20, 4},
		   {"gen", Field::Type::U32, 24, 4}}},
		 {"lb_ring",
		  "Maglev tables: VIP index * ring_size + entry -> backend; then the VIP filter",
		  {},
		  {}},
		 {"lb_conns", "connection table (LRU): flow -> backend", {}, {}},
		 {"lb_stats",
		  "per-CPU packets and bytes: global counters, then per VIP, then per backend",
		  {{"slot", Field::Type::U32, 0, 4}},
		  {{"packets", Field::Type::U64, 0, 8}, {"bytes", Field::Type::U64, 8, 8}}}},
	.stats = {"lb_stats", slot_names(), {"packets", "bytes"}},
	.commands = {lb_command()},
}};

} // namespace
