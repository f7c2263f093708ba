// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, k04: a bool knob (the module parameter or .rodata byte may hold 0xff)
// used as an index. A knob is an integer or an enumeration, not bool (KnobType).
#include <netext/config.hpp>
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_CONFIG(bool, on, false);
#else
NETEXT_CONFIG(uint8_t, on, 0);
#endif

NETEXT_XDP(prog)
{
	return on ? XdpAction::Drop : XdpAction::Pass;
}
