// Lambdas: by-reference captures written straight into the call that uses them (also
// immediately invoked), by-value captures kept in a variable.
#include <netext/xdp.hpp>

using namespace netext;

namespace {
template <class F>
NETEXT_INLINE uint32_t twice(F &&f)
{
	return f() + f();
}

template <class F>
NETEXT_INLINE void each(uint32_t n, F &&f)
{
	for (uint32_t i = 0; i < n && i < 8; ++i)
		f(i);
}
} // namespace

NETEXT_XDP(prog)
{
	uint32_t n = ctx.packet().size();
	uint32_t acc = 0;
	each(4, [&acc](uint32_t i) { acc += i; });
	acc += twice([&]() { return n; });
	acc += [&n]() { return n + 1; }();
	auto by_value = [n](uint32_t x) { return x + n; };
	auto no_capture = [](uint32_t x) { return x * 2; };
	acc += by_value(1) + no_capture(2);
	return acc > 10 ? XdpAction::Pass : XdpAction::Drop;
}
