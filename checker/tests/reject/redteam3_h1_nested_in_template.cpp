// expect: subscript generic-code lambda-capture
// flags: -DNETEXT_NATIVE
// Red team round 3 H1: a generic lambda inside a lambda inside a function template (each
// level's instantiation holds its own lambda class).
#include <netext/xdp.hpp>
using namespace netext;
template <class A>
NETEXT_INLINE void fill(A &arr, uint32_t i)
{
	auto outer = [&arr](uint32_t j) {
		auto inner = [](auto &a, auto k) { a[k] = 1u; };
		inner(arr, j);
	};
	outer(i);
}
NETEXT_XDP(h1_nested_in_template)
{
	uint32_t a[4] = {};
	fill(a, static_cast<uint32_t>(ctx.packet().byte(0)));
	return a[0] ? XdpAction::Drop : XdpAction::Pass;
}
