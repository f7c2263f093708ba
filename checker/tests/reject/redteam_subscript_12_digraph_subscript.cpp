// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/12_digraph_subscript.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: the digraph spelling buf<:i:> of an
// out-of-bounds subscript with a packet index (token-level filters see no '['). The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
// clang-format off
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(digraph_idx)
{
	PacketView v = ctx.packet();
	uint8_t buf<:16:> = {};
	uint8_t idx = 0, val = 0;
	if (!v.load(14, idx) || !v.load(15, val))
		return XdpAction::Pass;
	buf<:idx:> = val;
	(void)v.store(0, buf<:0:>);
	return XdpAction::Pass;
}
