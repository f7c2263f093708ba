// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/06_bool_from_packet.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. intub: a bool read from packet bytes (NoRef)
// holding 2..255 is UB; GCC indexes a 2-entry table with it directly (bool known 0/1), reading past
// it into the packet. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(bool_index)
{
	PacketView v = ctx.packet();
	bool b = false;
	if (!v.load(14, b))
		return XdpAction::Pass;
	constexpr uint64_t kChoice[2] = {0x1111, 0x2222};
	(void)v.store(14, kChoice[b]);
	return XdpAction::Tx;
}
