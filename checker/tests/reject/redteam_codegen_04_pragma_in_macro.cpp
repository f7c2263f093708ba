// expect: floating-point pragma
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/04_pragma_in_macro.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: _Pragma("GCC target(...)") produced by a
// macro: the pragma appears only after macro expansion, then SSE floating point runs in the kernel.
// The native gate passes -DNETEXT_NATIVE; so does this case (the flags line).
#include <netext/xdp.hpp>
using namespace netext;

#define FAST_MATH_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"sse2\")")
#define FAST_MATH_END	_Pragma("GCC pop_options")

FAST_MATH_BEGIN
namespace {
[[gnu::noinline]] uint32_t ratio(uint32_t a, uint32_t b)
{
	float f = static_cast<float>(a) / static_cast<float>(b | 1);
	return static_cast<uint32_t>(f * 1000.0f);
}
} // namespace
FAST_MATH_END

NETEXT_XDP(macro_pragma)
{
	PacketView v = ctx.packet();
	uint32_t a = 0, b = 0;
	if (v.load(14, a) && v.load(18, b))
		(void)v.store(14, ratio(a, b));
	return XdpAction::Pass;
}
