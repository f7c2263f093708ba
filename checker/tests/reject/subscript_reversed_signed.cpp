// expect: subscript
// i[a] is a[i]; a signed remainder can be negative, so it does not bound the index.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t slots[8] = {};
	int b = ctx.packet().byte(1);
	(b % 8)[slots] = 1;
	slots[b % 8] = 2;
	return slots[0] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
