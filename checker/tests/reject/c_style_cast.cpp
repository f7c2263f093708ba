// expect: c-style-cast
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	int32_t x = -1;
	uint32_t y = (uint32_t)x;
	return y ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
