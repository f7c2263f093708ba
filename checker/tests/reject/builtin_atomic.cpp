// expect: builtin raw-pointer compiler-macro
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t x = 0;
	__atomic_fetch_add(&x, 1, __ATOMIC_RELAXED);
	__sync_fetch_and_add(&x, 1);
	return x ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
