// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sizewrap/07_huge_map_key.cpp (was checker/tests/open/):
// v.get<array<uint32_t, 2^30 + 4>>() (sizeof truncated to 16 by the uint32_t length):
// at_or(idx) read any word up to 4 GiB past the packet, leaked to user space as a map key.
#include <netext/xdp.hpp>
using namespace netext;
NETEXT_MAP(hits, Hash<uint32_t, uint64_t, 64>);

#ifdef NETEXT_EXPECT_FAIL
using Huge = array<uint32_t, (1ull << 30) + 4>;
#else
using Huge = array<uint32_t, 4>;
#endif

NETEXT_XDP(huge_key)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	if (Ref<Huge> h = v.get<Huge>(0)) {
		uint32_t key = h->at_or(idx, 0);
		(void)hits.update(key, 1);
	}
	return XdpAction::Pass;
}
