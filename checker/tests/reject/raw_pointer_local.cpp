// expect: raw-pointer
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint8_t buf[4] = {};
	uint8_t *p = buf;
	return p ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
