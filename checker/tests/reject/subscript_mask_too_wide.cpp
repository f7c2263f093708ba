// expect: subscript
// A mask bounds the index only when it is below the array's size: 31 is not below 16.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t slots[16] = {};
	slots[ctx.packet().size() & 31] = 1;
	return slots[0] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
