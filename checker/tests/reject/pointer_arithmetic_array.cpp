// expect: pointer-arithmetic
// An array decays: arithmetic on it is pointer arithmetic even with no pointer declared.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t a[4] = {1, 2, 3, 4};
	return (a + 3 != a) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
