// expect: inline-asm
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint64_t x = 0;
	asm volatile("" : "+r"(x));
	return x ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
