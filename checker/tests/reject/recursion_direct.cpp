// expect: recursion
#include <netext/xdp.hpp>

static uint32_t fact(uint32_t n)
{
	return n <= 1 ? 1 : n * fact(n - 1);
}

NETEXT_XDP(prog)
{
	return fact(3) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
