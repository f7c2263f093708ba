// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_CONFIG(uint16_t, port, 7);
NETEXT_XDP(prog)
{
#ifdef NETEXT_EXPECT_FAIL
	port = 9;
#endif
	uint16_t p = port;
	return p == 7 ? XdpAction::Drop : XdpAction::Pass;
}
