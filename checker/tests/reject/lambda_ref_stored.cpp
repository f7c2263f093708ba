// expect: lambda-capture
// Lambdas that capture by reference kept in variables (explicit &x, default [&] and this).
#include <netext/xdp.hpp>

namespace {
struct Counter {
	uint32_t n = 0;
	auto bumper()
	{
		auto f = [this]() { ++n; };
		f();
		return n;
	}
};
} // namespace

NETEXT_XDP(prog)
{
	uint32_t n = ctx.packet().size();
	auto twice = [&n]() { return n * 2; };
	auto all = [&]() { return n + 1; };
	Counter c;
	return twice() + all() + c.bumper() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
