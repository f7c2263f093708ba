// expect: generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H2: a cast to a template parameter's type in a branch Clang drops (T(x)
// is a C-style cast when T is a pointer).
#include <netext/xdp.hpp>
using namespace netext;
template <class T>
NETEXT_INLINE uint64_t conv(uint64_t x)
{
	if constexpr (sizeof(T) == 2)
		return static_cast<uint64_t>(T(x) == T(0));
	else
		return x;
}
NETEXT_XDP(h2_dependent_cast)
{
	return conv<uint32_t>(ctx.packet().byte(0)) ? XdpAction::Drop : XdpAction::Pass;
}
