// expect: mutable-global
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	static uint32_t seen = 0;
	return seen++ ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
