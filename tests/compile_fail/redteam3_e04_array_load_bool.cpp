// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, the class of e04 (any byte reinterpreted as a bool): netext::array's
// byte load into a bool. array::load takes only Bits types.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	netext::array<uint8_t, 16> bytes{};
	(void)ctx.packet().load(0, bytes);
#ifdef NETEXT_EXPECT_FAIL
	bool b = false;
#else
	uint8_t b = 0;
#endif
	(void)bytes.load<decltype(b), 7>(3, b);
	return b ? XdpAction::Drop : XdpAction::Pass;
}
