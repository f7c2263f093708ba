// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// netext::array's storage is private: every access goes through a checked accessor.
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_MAP(m, Array<array<uint32_t, 4>, 1>);
NETEXT_XDP(prog)
{
	auto a = m.lookup(0);
	uint32_t i = static_cast<uint32_t>(ctx.packet().byte(0));
	if (!a)
		return XdpAction::Pass;
#ifdef NETEXT_EXPECT_FAIL
	a->elems_[i] = 1;
#else
	(*a)[i] = 1;
#endif
	return XdpAction::Pass;
}
