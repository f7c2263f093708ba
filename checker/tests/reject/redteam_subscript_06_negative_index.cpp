// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/06_negative_index.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: a signed index from the packet, made
// negative: writes below the array, into the caller's frame and saved return addresses on the
// extension stack. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(neg_idx)
{
	PacketView v = ctx.packet();
	uint64_t buf[4] = {};
	int32_t idx = 0;
	uint64_t val = 0;
	if (!v.load(14, idx) || !v.load(18, val))
		return XdpAction::Pass;
	if (idx < 4) // the app's check forgets negative numbers
		buf[idx] = val;
	(void)v.store(0, buf[0]);
	return XdpAction::Pass;
}
