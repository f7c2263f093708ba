// expect: volatile
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	volatile uint32_t spin = 0;
	return spin ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
