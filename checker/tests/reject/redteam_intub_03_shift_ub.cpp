// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/03_shift_ub.cpp, accepted by netext-check at 64df7b4b56 (11:49 UTC)
// and compiled by the native flags. intub: a mask built with a shift by a packet-chosen count (UB
// at >= 32; x86 masks the count) so "idx & ((1 << n) - 1)" is not the bound the app believes before
// a subscript. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(shift_mask)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	uint8_t n = 0;
	if (!v.load(14, idx) || !v.load(18, n))
		return XdpAction::Pass;
	uint32_t table[8] = {};
	uint32_t mask = (1u << n) - 1; // app believes n <= 3
	table[idx & mask] = 0xdeadbeef;
	(void)v.store(0, table[0]);
	return XdpAction::Pass;
}
