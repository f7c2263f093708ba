// expect: attribute
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/14_noreturn_fallthrough.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: [[noreturn]] (a standard attribute) on a
// function that does return: GCC emits no return sequence, execution falls through into whatever
// code follows in .text. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it
// is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[noreturn, gnu::noinline]] void finish(uint32_t x)
{
	if (x == 0x12345678)
		for (;;) {
		}
}
[[gnu::noinline]] uint32_t next_function(uint32_t x)
{
	return x * 3;
}
} // namespace

NETEXT_XDP(noreturn_fall)
{
	uint32_t x = 0;
	if (ctx.packet().load(14, x) && x == 1)
		finish(x);
	(void)ctx.packet().store(14, next_function(x));
	return XdpAction::Pass;
}
