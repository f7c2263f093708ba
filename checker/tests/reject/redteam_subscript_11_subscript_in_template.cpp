// expect: subscript generic-code
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/11_subscript_in_template.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. subscript: the out-of-bounds subscript
// hidden in a generic helper template taking the array by reference and an index from the packet.
// The native gate passes -DNETEXT_NATIVE; so does this case (the flags line).
#include <netext/xdp.hpp>
using namespace netext;

namespace {
template <class A, class I, class V>
NETEXT_INLINE void put(A &a, I i, V v)
{
	a[i] = v;
}
} // namespace

NETEXT_XDP(tmpl_idx)
{
	PacketView v = ctx.packet();
	uint16_t buf[8] = {};
	uint32_t idx = 0;
	uint16_t val = 0;
	if (!v.load(14, idx) || !v.load(18, val))
		return XdpAction::Pass;
	put(buf, idx, val);
	(void)v.store(0, buf[1]);
	return XdpAction::Pass;
}
