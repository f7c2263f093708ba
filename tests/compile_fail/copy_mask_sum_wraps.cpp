// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// OffMask + LenMask was summed in 32 bits: 0xffffffff + 1 wrapped to 0 and "fit" any array.
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_MAP(m, Array<array<uint8_t, 16>, 1>);
NETEXT_XDP(prog)
{
	auto v = m.lookup(0);
	if (!v)
		return XdpAction::Pass;
#ifdef NETEXT_EXPECT_FAIL
	ctx.load_bytes<0xffffffffu, 1>(0, *v, 0, 2);
#else
	ctx.load_bytes<7, 7>(0, *v, 0, 2);
#endif
	return XdpAction::Pass;
}
