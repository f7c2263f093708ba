// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, e02 (a native kernel panic): a bool loaded from packet bytes. A byte of
// 2 to 255 is no bool, g++ assumes 0 or 1 and dropped netext::array's range check for a[b]:
// a packet byte chose the stack word written. PacketView::load takes only Bits types.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	netext::array<uint64_t, 2> a{};
#ifdef NETEXT_EXPECT_FAIL
	bool b = false;
	(void)ctx.packet().load(0, b);
	a[b] = 1;
#else
	uint8_t b = 0;
	(void)ctx.packet().load(0, b);
	a[b != 0] = 1;
#endif
	return a.at_or(0, 0) ? XdpAction::Drop : XdpAction::Pass;
}
