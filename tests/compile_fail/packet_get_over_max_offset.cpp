// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// get<T>() of a T larger than any packet (kMaxPacketOffset + 1 bytes, no 32-bit wrap
// needed): a compile error, not an access that can only fail (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Big = array<uint8_t, kMaxPacketOffset + 1>;
#else
using Big = array<uint8_t, kMaxPacketOffset>;
#endif

NETEXT_XDP(prog)
{
	return ctx.packet().get<Big>(0) ? XdpAction::Pass : XdpAction::Drop;
}
