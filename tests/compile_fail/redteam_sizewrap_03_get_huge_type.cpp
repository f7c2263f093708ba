// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sizewrap/03_get_huge_type.cpp (was checker/tests/open/):
// v.get<T>() with sizeof(T) = 2^32 + 16 passed its size as a uint32_t, truncated to 16, so
// a 16-byte check yielded a Ref to a 4 GiB object; set()/at_or() then reached 4 GiB past
// the packet. Every sized packet access now checks sizeof(T) in 64 bits first.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Huge = array<uint8_t, (1ull << 32) + 16>;
#else
using Huge = array<uint8_t, 16>;
#endif

NETEXT_XDP(huge_get)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	if (Ref<Huge> h = v.get<Huge>(0))
		(void)h->set(idx, 0x41);
	return XdpAction::Pass;
}
