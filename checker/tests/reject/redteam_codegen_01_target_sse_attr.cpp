// expect: attribute floating-point
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/01_target_sse_attr.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: [[gnu::target("sse2")]] on an app function
// doing floating-point math: SSE registers used in softirq context without kernel_fpu_begin,
// corrupting the interrupted task's FPU/SIMD state. The native gate passes -DNETEXT_NATIVE; the
// corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::target("sse2"), gnu::noinline]] uint32_t scale(uint32_t x)
{
	double d = static_cast<double>(x) * 1.5;
	return static_cast<uint32_t>(d);
}
} // namespace

NETEXT_XDP(sse_attr)
{
	PacketView v = ctx.packet();
	uint32_t x = 0;
	if (v.load(14, x))
		(void)v.store(14, scale(x));
	return XdpAction::Pass;
}
