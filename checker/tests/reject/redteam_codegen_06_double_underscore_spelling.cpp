// expect: attribute floating-point
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/06_double_underscore_spelling.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. codegen: the reserved spellings
// __attribute__((__target__("sse2"))) and [[gnu::__target__]] (one attribute, other names) for
// kernel-unsafe SSE code. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it
// is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
__attribute__((__target__("sse2"), __noinline__)) uint64_t f1(uint64_t x)
{
	return static_cast<uint64_t>(static_cast<double>(x) * 0.75);
}
[[gnu::__target__("sse2"), gnu::__noinline__]] uint64_t f2(uint64_t x)
{
	return static_cast<uint64_t>(static_cast<double>(x) / 3.0);
}
} // namespace

NETEXT_XDP(dunder_target)
{
	PacketView v = ctx.packet();
	uint64_t x = 0;
	if (v.load(14, x))
		(void)v.store(14, f1(x) + f2(x));
	return XdpAction::Pass;
}
