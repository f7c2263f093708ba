// expect: builtin compiler-divergence
// flags: -DNETEXT_NATIVE
// Red team round 3 H2 (c02): __builtin_constant_p of a call only one compiler's constant
// evaluator finishes selects different code in the checker and in the native build.
#include <netext/xdp.hpp>
using namespace netext;
constexpr uint32_t spin(uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += 1;
	return s;
}
NETEXT_XDP(h2_builtin_constant_p)
{
	uint32_t a[4] = {};
	uint32_t i = ctx.packet().byte(0);
	if (__builtin_constant_p(spin(300000)))
		a[i & 3] = 1;
	return a[0] ? XdpAction::Drop : XdpAction::Pass;
}
