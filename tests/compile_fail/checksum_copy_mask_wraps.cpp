// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// DstMask + 8 was summed in 32 bits: 0xffffffff + 8 wrapped to 7 and "fit" any array.
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_MAP(m, Array<array<uint8_t, 136>, 1>);
NETEXT_XDP(prog)
{
	auto v = m.lookup(0);
	uint32_t sum = 0;
	if (!v)
		return XdpAction::Pass;
#ifdef NETEXT_EXPECT_FAIL
	csum::copy_partial<0xffffffffu>(ctx.packet(), 0, 8, *v, 0, sum);
#else
	csum::copy_partial<127>(ctx.packet(), 0, 8, *v, 0, sum);
#endif
	return sum ? XdpAction::Pass : XdpAction::Drop;
}
