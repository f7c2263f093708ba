// expect: recursion
#include <netext/xdp.hpp>

static bool odd(uint32_t n);

static bool even(uint32_t n)
{
	return n == 0 ? true : odd(n - 1);
}

static bool odd(uint32_t n)
{
	return n == 0 ? false : even(n - 1);
}

NETEXT_XDP(prog)
{
	return even(4) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
