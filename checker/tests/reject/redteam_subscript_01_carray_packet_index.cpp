// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/01_carray_packet_index.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: a local C array indexed by a packet byte
// (0..255 into 16 bytes): natively one packet byte chooses which extension-stack byte is
// overwritten. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(carray_idx)
{
	PacketView v = ctx.packet();
	uint8_t slots[16] = {};
	int i = v.byte(14);
	int val = v.byte(15);
	if (i < 0 || val < 0)
		return XdpAction::Pass;
	slots[i] = static_cast<uint8_t>(val);
	(void)v.store(0, slots[3]);
	return XdpAction::Pass;
}
