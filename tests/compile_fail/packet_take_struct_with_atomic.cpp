// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A struct with an Atomic member taken from the packet by a Cursor, the Atomic nested in
// a netext::array of a member (issue 19, the class of intub_08): refused however deep.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
struct Inner {
	array<Atomic<uint32_t>, 2> words;
};
#else
struct Inner {
	array<uint32_t, 2> words;
};
#endif
struct Header {
	uint32_t tag;
	Inner inner;
};

NETEXT_XDP(prog)
{
	Cursor c{ctx.packet()};
	return c.take<Header>() ? XdpAction::Pass : XdpAction::Drop;
}
