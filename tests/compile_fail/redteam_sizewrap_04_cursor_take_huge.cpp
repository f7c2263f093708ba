// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sizewrap/04_cursor_take_huge.cpp (was checker/tests/open/):
// Cursor::take<T>() with a T of 2^32 + 8 bytes: the bounds check saw 8 bytes (the size
// truncated to uint32_t), reads through the Ref went 4 GiB past the packet.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Jumbo = array<uint8_t, (1ull << 32) + 8>;
#else
using Jumbo = array<uint8_t, 8>;
#endif

NETEXT_XDP(huge_take)
{
	Cursor c{ctx.packet()};
	uint32_t idx = 0;
	if (!c.view().load(14, idx))
		return XdpAction::Pass;
	if (Ref<Jumbo> j = c.take<Jumbo>()) {
		uint8_t leaked = j->at_or(idx, 0);
		(void)c.view().store(14, leaked);
	}
	return XdpAction::Tx;
}
