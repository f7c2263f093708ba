// expect: external-declaration
// extern variables, a function declared and never defined, a block-scope declaration.
#include <netext/xdp.hpp>

extern unsigned long jiffies;
uint32_t helper(uint32_t x);

NETEXT_XDP(prog)
{
	uint32_t local_helper(uint32_t);
	return helper(static_cast<uint32_t>(jiffies)) + local_helper(1) ? netext::XdpAction::Pass
									: netext::XdpAction::Drop;
}
