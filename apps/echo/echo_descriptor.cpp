// What user space knows about the echo app: hook, knob, maps, stats layout.
#include <netext/loader/app.hpp>

using namespace netext::loader;

namespace {

const AppRegistration registration{AppDescriptor{
	.name = "echo",
	.summary = "answers UDP echo (RFC 862) from XDP with XDP_TX, IPv4 and IPv6",
	.hooks = {{HookPoint::Xdp, "echo_xdp"}},
	.knobs = {{"port", "UDP port answered (default 7)", Knob::Kind::Rodata, "", 1, 65535}},
	.maps = {{"echo_stats",
		  "per-CPU counters: 0 replied, 1 passed (not an echo request)",
		  {{"stat", Field::Type::U32, 0, 4}},
		  {{"count", Field::Type::U64, 0, 8}}}},
	.stats = {"echo_stats", {"replied", "passed"}, {"packets"}},
}};

} // namespace
