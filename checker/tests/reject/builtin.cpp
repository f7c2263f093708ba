// expect: builtin
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t x = 8;
	return __builtin_ctz(x) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
