// expect: packet-move
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/10_xdp_adjust_view.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. lifetime: a view kept across adjust_tail(-n) is
// written past the new data_end (bytes the kernel no longer considers packet; with multi-buffer
// frames these are frag pages). The native gate passes -DNETEXT_NATIVE; the corpus runs without it,
// so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(stale_tail)
{
	PacketView before = ctx.packet();
	uint32_t n = before.size();
	if (n < 200 || !ctx.adjust_tail(-128))
		return XdpAction::Pass;
	(void)before.store(n - 8, uint64_t{0});
	return XdpAction::Tx;
}
