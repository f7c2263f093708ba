// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/01_narrowing_check.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. intub: the bounds check is made on a narrowed copy
// (uint8_t) while the subscript uses the full 32-bit packet value: 0x100 passes "< 16" as 0 and
// indexes 256 slots out. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it
// is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(narrow)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	uint64_t val = 0;
	if (!v.load(14, idx) || !v.load(18, val))
		return XdpAction::Pass;
	uint64_t slots[16] = {};
	auto small = static_cast<uint8_t>(idx);
	if (small < 16)
		slots[idx] = val;
	(void)v.store(0, slots[0]);
	return XdpAction::Pass;
}
