// expect: recursion
// A function whose lambda calls it back.
#include <netext/xdp.hpp>

static uint32_t walk(uint32_t n)
{
	auto step = [](uint32_t m) { return m ? walk(m - 1) : 0u; };
	return step(n);
}

NETEXT_XDP(prog)
{
	return walk(2) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
