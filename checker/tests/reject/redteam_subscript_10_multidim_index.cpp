// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/10_multidim_index.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: a 2-D array whose inner index is checked
// but the outer one comes from the packet: out-of-bounds stack write by rows of 64 bytes. The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(multidim_idx)
{
	PacketView v = ctx.packet();
	uint64_t grid[2][8] = {};
	uint8_t row = 0, col = 0;
	uint64_t val = 0;
	if (!v.load(14, row) || !v.load(15, col) || !v.load(16, val))
		return XdpAction::Pass;
	grid[row][col & 7] = val;
	(void)v.store(0, grid[0][0]);
	return XdpAction::Pass;
}
