// expect: compiler-divergence
// flags: -DNETEXT_NATIVE
// Red team round 3 H2: `if consteval` and std::is_constant_evaluated() are true where a
// compiler constant-evaluates, which Clang and g++ decide differently.
#include <netext/xdp.hpp>
#include <type_traits>
using namespace netext;
constexpr uint32_t pick(uint32_t x)
{
	if consteval {
		return x & 3;
	}
	return std::is_constant_evaluated() ? 1u : x;
}
NETEXT_XDP(h2_if_consteval)
{
	return pick(ctx.packet().byte(0)) ? XdpAction::Drop : XdpAction::Pass;
}
