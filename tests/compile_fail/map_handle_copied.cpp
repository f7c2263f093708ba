// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_MAP(counts, Array<uint64_t, 4>);
NETEXT_XDP(prog)
{
#ifdef NETEXT_EXPECT_FAIL
	auto other = counts;
	auto c = other.lookup(0);
#else
	auto c = counts.lookup(0);
#endif
	if (c)
		*c += 1;
	return XdpAction::Pass;
}
