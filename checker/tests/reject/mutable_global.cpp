// expect: mutable-global
#include <netext/xdp.hpp>

static uint32_t packets;

NETEXT_XDP(prog)
{
	++packets;
	return netext::XdpAction::Pass;
}
