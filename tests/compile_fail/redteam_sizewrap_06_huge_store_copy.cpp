// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sizewrap/06_huge_store_copy.cpp (was checker/tests/open/):
// v.store<T>() of a T bigger than 4 GiB referenced from the packet itself: the check used
// the truncated size, the memcpy the real one, overwriting kernel memory after the packet.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Huge = array<uint8_t, (1ull << 32) + 8>;
#else
using Huge = array<uint8_t, 8>;
#endif

NETEXT_XDP(huge_store)
{
	PacketView v = ctx.packet();
	if (Ref<Huge> h = v.get<Huge>(0))
		(void)v.store(0, *h);
	return XdpAction::Pass;
}
