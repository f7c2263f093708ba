// expect: division
// x /= d and x %= d with a divisor from the packet: natively a zero divisor traps.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t x = 1000, d = 0;
	if (!v.load(14, d))
		return XdpAction::Pass;
	x /= d;
	x %= d;
	return x != 0 ? XdpAction::Pass : XdpAction::Drop;
}
