// expect: generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H2: the overload the checker's Clang does not select (its constraint is
// false here) writes through the address of its argument plus an offset.
#include <netext/xdp.hpp>
using namespace netext;
template <class T>
concept Wide = sizeof(T) > 64;
template <class T>
	requires Wide<T>
NETEXT_INLINE void put(T &x, uint64_t off, const T &v)
{
	*(&x + off) = v;
}
template <class T>
NETEXT_INLINE void put(T &x, uint64_t, const T &v)
{
	x = v;
}
NETEXT_XDP(h2_unchosen_overload)
{
	uint64_t off = 0, x = 0;
	(void)ctx.packet().load(0, off);
	put(x, off, off);
	return x ? XdpAction::Drop : XdpAction::Pass;
}
