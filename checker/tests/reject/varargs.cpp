// expect: c-varargs
#include <netext/xdp.hpp>

static uint32_t count_args(uint32_t n, ...)
{
	return n;
}

NETEXT_XDP(prog)
{
	return count_args(2, 1, 2) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
