// expect: generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H2: a template never instantiated by Clang reaching the kernel context
// by a dependent member call (c.raw() yields the xdp_md pointer) and ->.
#include <netext/xdp.hpp>
using namespace netext;
template <class C, class F>
NETEXT_INLINE void widen(C &c, F first)
{
	if constexpr (sizeof(F) == 1)
		c.raw()->data_end = first + 0x7000;
}
NETEXT_XDP(h2_dependent_member_raw)
{
	widen(ctx, uint32_t{0});
	return XdpAction::Pass;
}
