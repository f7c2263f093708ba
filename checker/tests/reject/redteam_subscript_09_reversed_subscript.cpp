// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/09_reversed_subscript.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: the reversed form idx[array] (same as
// array[idx]) with a packet value: out-of-bounds stack write a syntactic check for "a[i]" may miss.
// The native gate passes -DNETEXT_NATIVE; so does this case (the flags line).
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(reversed_idx)
{
	PacketView v = ctx.packet();
	uint32_t buf[8] = {};
	uint32_t idx = 0, val = 0;
	if (!v.load(14, idx) || !v.load(18, val))
		return XdpAction::Pass;
	idx[buf] = val;
	(void)v.store(0, buf[2]);
	return XdpAction::Pass;
}
