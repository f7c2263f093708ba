// expect: dangling
// A Ref into the callee's own local array stored through a Ref& out-parameter (red team
// round 2 d14/d17/d19): the caller writes through it into the dead frame.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] void slot(Ref<uint32_t> &out)
{
	array<uint32_t, 4> local{};
	out = local.at(1);
}
} // namespace

NETEXT_XDP(prog)
{
	Ref<uint32_t> r;
	slot(r);
	if (r)
		*r = 7;
	return XdpAction::Pass;
}
