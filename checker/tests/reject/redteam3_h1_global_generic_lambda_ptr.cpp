// expect: raw-pointer pointer-arithmetic generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H1: a constexpr namespace-scope generic lambda writing through the
// address of its argument plus a packet offset (an arbitrary stack write natively).
#include <netext/xdp.hpp>
using namespace netext;
constexpr auto poke = [](auto &x, auto off, auto v) { *(&x + off) = v; };
NETEXT_XDP(h1_global_generic_lambda_ptr)
{
	uint64_t off = 0, x = 0;
	(void)ctx.packet().load(0, off);
	poke(x, off, x);
	return x ? XdpAction::Drop : XdpAction::Pass;
}
