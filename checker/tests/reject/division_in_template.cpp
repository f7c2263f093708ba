// expect: division generic-code
// The divisor is a template's parameter: each instantiation is checked.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
template <class T>
T ratio(T a, T b)
{
	return a % b;
}
} // namespace

NETEXT_XDP(prog)
{
	uint64_t a = 0, b = 0;
	if (!ctx.packet().load(14, a) || !ctx.packet().load(22, b))
		return XdpAction::Pass;
	return ratio(a, b) != 0 ? XdpAction::Pass : XdpAction::Drop;
}
