// expect: pointer-arithmetic raw-pointer
#include <netext/xdp.hpp>

static uint32_t second(const uint32_t *p)
{
	return *(p + 1) + p[1];
}

NETEXT_XDP(prog)
{
	uint32_t a[2] = {1, 2};
	return second(a) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
