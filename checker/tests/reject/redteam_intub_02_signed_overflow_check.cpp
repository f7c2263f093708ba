// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/02_signed_overflow_check.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. intub: a signed-overflow bounds check (i + len < i
// "cannot happen", so GCC removes it) guarding a raw C-array subscript: the packet picks i near
// INT_MAX. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(signed_overflow)
{
	PacketView v = ctx.packet();
	int32_t i = 0, len = 0;
	if (!v.load(14, i) || !v.load(18, len))
		return XdpAction::Pass;
	uint8_t buf[32] = {};
	if (len < 0 || i < 0 || i + len < i || i + len > 32) // overflow "impossible": folded away
		return XdpAction::Pass;
	buf[i] = 1;
	(void)v.store(0, buf);
	return XdpAction::Pass;
}
