// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, e09: an enumeration whose underlying type is bool, loaded from the packet
// (0xff is none of its values; g++ assumes 0 or 1). Bits refuses it as it refuses bool.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
enum class Flag : bool { Off, On };
#else
enum class Flag : uint8_t { Off, On };
#endif

NETEXT_XDP(prog)
{
	Flag f = Flag::Off;
	(void)ctx.packet().load(0, f);
	return f == Flag::On ? XdpAction::Drop : XdpAction::Pass;
}
