// expect: packet-move
// The move happens in an app function; the caller's view is stale after the call.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
NETEXT_INLINE bool shrink(XdpContext &ctx)
{
	return ctx.adjust_head(8);
}
} // namespace

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	if (v.size() < 64 || !shrink(ctx))
		return XdpAction::Pass;
	(void)v.store(40, uint64_t{0});
	return XdpAction::Tx;
}
