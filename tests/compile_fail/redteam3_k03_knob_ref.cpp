// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, k03: a knob whose type holds a pointer: whoever sets the module
// parameter chooses where the program writes. A knob is an integer or an enumeration.
#include <netext/config.hpp>
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_CONFIG(Ref<uint64_t>, target, Ref<uint64_t>{});
#else
NETEXT_CONFIG(uint64_t, target, 0);
#endif

NETEXT_XDP(prog)
{
#ifdef NETEXT_EXPECT_FAIL
	Ref<uint64_t> r = target;
	if (r)
		*r = 1;
#endif
	return XdpAction::Pass;
}
