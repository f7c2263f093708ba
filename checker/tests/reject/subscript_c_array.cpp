// expect: subscript
// A packet byte chooses which element of a local C array is written: natively nothing
// bounds the index.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	netext::PacketView v = ctx.packet();
	uint32_t slots[16] = {};
	int b = v.byte(0);
	if (b < 0)
		return netext::XdpAction::Pass;
	slots[static_cast<uint32_t>(b)] = 1;
	return slots[3] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
