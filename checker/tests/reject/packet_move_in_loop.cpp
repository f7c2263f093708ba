// expect: packet-move
// A Ref into the packet made before a loop whose body moves the packet: the next iteration
// uses it, although its use comes first in the source.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	Ref<uint32_t> word = v.get<uint32_t>(14);
	if (!word)
		return XdpAction::Pass;
	for (uint32_t i = 0; i < 4; i++) {
		*word = i;
		if (!ctx.adjust_tail(-4))
			break;
	}
	return XdpAction::Tx;
}
