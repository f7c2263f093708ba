// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/04_negative_modulo.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. intub: a signed modulo used as an index ("% 16" of a
// negative packet value is negative): writes up to 15 slots below a stack array. The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(neg_mod)
{
	PacketView v = ctx.packet();
	int32_t h = 0;
	uint64_t val = 0;
	if (!v.load(14, h) || !v.load(18, val))
		return XdpAction::Pass;
	uint64_t buckets[16] = {};
	buckets[h % 16] = val;
	(void)v.store(0, buckets[0]);
	return XdpAction::Pass;
}
