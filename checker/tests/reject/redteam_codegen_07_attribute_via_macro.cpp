// expect: attribute floating-point
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/07_attribute_via_macro.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: the attribute hidden in an object-like
// macro defined through token pasting (ATTR(tar, get) -> target): SSE code in the kernel. The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#define CAT(a, b)   a##b
#define SPEED(a, b) __attribute__((CAT(a, b)("sse2")))
#define HOT	    SPEED(tar, get)

namespace {
[[gnu::noinline]] HOT uint32_t blend(uint32_t a)
{
	return static_cast<uint32_t>(static_cast<double>(a) * 1.25);
}
} // namespace

NETEXT_XDP(macro_attr)
{
	PacketView v = ctx.packet();
	uint32_t a = 0;
	if (v.load(14, a))
		(void)v.store(14, blend(a));
	return XdpAction::Pass;
}
