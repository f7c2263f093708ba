// What user space knows about the counter app: hooks, maps, stats layout.
#include <netext/loader/app.hpp>

#include "counter.hpp"

using namespace netext::loader;
namespace c = netext::counter;

namespace {

std::vector<std::string> slot_names()
{
	std::vector<std::string> names;
	for (uint32_t h = 0; h < c::kHooks; h++)
		for (uint32_t k = 0; k < c::kClasses; k++)
			names.push_back(std::string(c::kHookNames[h]) + " " + c::kClassNames[k]);
	return names;
}

const AppRegistration registration{AppDescriptor{
	.name = "counter",
	.summary = "counts packets and bytes per protocol class at XDP and tc ingress/egress",
	.hooks = {{HookPoint::Xdp, "count_xdp"},
		  {HookPoint::TcIngress, "count_tc_ingress"},
		  {HookPoint::TcEgress, "count_tc_egress"}},
	.knobs = {},
	.maps = {{"stats",
		  "per-CPU packets and bytes, index hook * 11 + class",
		  {{"slot", Field::Type::U32, 0, 4}},
		  {{"packets", Field::Type::U64, 0, 8}, {"bytes", Field::Type::U64, 8, 8}}}},
	.stats = {"stats", slot_names(), {"packets", "bytes"}},
}};

} // namespace
