// expect: attribute not-allowed
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/11_vector_ext_sse.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. codegen: GCC vector-extension types
// (__attribute__((vector_size(16)))) inside a target("sse2") function: packed SSE arithmetic in
// softirq without kernel_fpu_begin. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
using u32x4 = uint32_t __attribute__((vector_size(16)));
[[gnu::noinline]] __attribute__((target("sse2"))) uint32_t hash4(uint32_t a, uint32_t b)
{
	u32x4 v = {a, b, a ^ b, a + b};
	v = v * v + v;
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
} // namespace

NETEXT_XDP(vector_ext)
{
	PacketView v = ctx.packet();
	uint32_t a = 0, b = 0;
	if (v.load(14, a) && v.load(18, b))
		(void)v.store(14, hash4(a, b));
	return XdpAction::Pass;
}
