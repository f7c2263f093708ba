// expect: generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H2 (issue 19): Clang (the checker) and g++ (the native build) need not
// pick the same `if constexpr` branch (CTAD for aggregates, relaxed template-template
// matching, constexpr step limits): whichever branch Clang discards was never checked. Here
// the discarded branch is the one this checker's Clang drops; the pattern rule refuses it
// whatever the condition.
#include <netext/xdp.hpp>
using namespace netext;
template <class A>
NETEXT_INLINE void put(A &arr, uint32_t i, uint32_t v)
{
	if constexpr (sizeof(A) == 3)
		arr[i] = v;
	else
		arr[i & 3] = v;
}
NETEXT_XDP(h2_unchosen_branch)
{
	uint32_t a[4] = {};
	put(a, static_cast<uint32_t>(ctx.packet().byte(0)), 9u);
	return a[0] ? XdpAction::Drop : XdpAction::Pass;
}
