// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/08_string_literal_index.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. subscript: a string literal indexed by a
// packet value, result copied into the packet: out-of-bounds read of kernel memory (info leak). The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(literal_idx)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	char c = "0123456789abcdef"[idx];
	(void)v.store(14, c);
	return XdpAction::Tx;
}
