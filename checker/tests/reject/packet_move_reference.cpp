// expect: packet-move
// A reference into the packet (through a Ref) read after adjust_head, and one passed by
// reference to a function that moves the packet.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
NETEXT_INLINE uint32_t grow_then_read(XdpContext &ctx, const uint32_t &w)
{
	if (!ctx.adjust_head(-16))
		return 0;
	return w;
}
} // namespace

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	Ref<uint32_t> word = v.get<uint32_t>(14);
	if (!word)
		return XdpAction::Pass;
	const uint32_t &w = *word;
	uint32_t r = grow_then_read(ctx, *word);
	if (!ctx.adjust_head(4))
		return XdpAction::Pass;
	return w + r != 0 ? XdpAction::Pass : XdpAction::Drop;
}
