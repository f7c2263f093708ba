// expect: unbounded-loop
// options: --strict-loops
// The comma's other side moves the induction variable back: not a bounded step.
#include <netext/xdp.hpp>

using namespace netext;

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t sum = 0;
	for (uint32_t k = 0; k < 8; k++, k -= 1)
		sum += static_cast<uint32_t>(v.byte(k));
	return sum > 100 ? XdpAction::Pass : XdpAction::Drop;
}
