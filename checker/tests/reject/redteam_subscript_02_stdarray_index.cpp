// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/02_stdarray_index.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: std::array::operator[] with a
// packet-derived index (no bounds check in libstdc++ without assertions): out-of-bounds stack write
// of 8 attacker bytes. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <array>
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(stdarray_idx)
{
	PacketView v = ctx.packet();
	std::array<uint64_t, 4> acc{};
	uint32_t idx = 0;
	uint64_t val = 0;
	if (!v.load(14, idx) || !v.load(18, val))
		return XdpAction::Pass;
	acc[idx] = val;
	(void)v.store(0, acc[0]);
	return XdpAction::Pass;
}
