// expect: division
// A constant divisor of -1 in signed arithmetic: INT_MIN / -1 (and INT_MIN % -1) traps.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	int32_t x = 0;
	if (!ctx.packet().load(14, x))
		return XdpAction::Pass;
	int32_t q = x / -1 + x % -1;
	return q != 0 ? XdpAction::Pass : XdpAction::Drop;
}
