// expect: attribute
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/02_gnu_attribute_target_avx.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. codegen: __attribute__((target("avx2")))
// on a vectorisable loop: GCC emits AVX (ymm) code that clobbers user-space vector registers from
// softirq. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
__attribute__((target("avx2"), noinline)) void mix(array<uint32_t, 64> &a, uint32_t k)
{
	for (std::size_t i = 0; i < 64; i++)
		a[i] = a[i] * k + 7;
}
} // namespace

NETEXT_XDP(avx_attr)
{
	PacketView v = ctx.packet();
	array<uint32_t, 64> a{};
	if (!v.load(14, a))
		return XdpAction::Pass;
	mix(a, 3);
	(void)v.store(14, a);
	return XdpAction::Pass;
}
