// expect: packet-move
// The move is in a lambda called on the spot.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	bool grown = [&] { return ctx.adjust_head(-32); }();
	if (!grown)
		return XdpAction::Pass;
	(void)v.store(0, uint32_t{0});
	return XdpAction::Tx;
}
