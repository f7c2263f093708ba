// proposed: missing-return find() flows off its end when no byte matches: UB; g++ -O2 turns that path into
// __builtin_unreachable and emits nothing after the loop, so natively execution runs off the
// function's end into whatever code follows (arbitrary kernel-mode execution). Checker: no rule.
// g++ says -Wreturn-type (a warning; fatal only with NETEXT_WERROR=ON, the default).
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] uint32_t find(const PacketView &v, uint8_t c)
{
	for (uint32_t i = 0; i < 64; ++i)
		if (v.byte(i) == c)
			return i;
}
NETEXT_XDP(m01) { uint32_t c = find(ctx.packet(), 0x7f); ctx.packet().store(0, c); return XdpAction::Pass; }
