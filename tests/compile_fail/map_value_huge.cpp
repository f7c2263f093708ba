// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A map value of 2^32 + 8 bytes: its size as the kernel's 32-bit value_size would be 8
// (issue 19, the sizewrap class), so a bound map of 8-byte values would be read as 4 GiB.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Value = array<uint8_t, (1ull << 32) + 8>;
#else
using Value = array<uint8_t, 8>;
#endif
NETEXT_MAP(m, Array<Value, 1>);
NETEXT_XDP(prog)
{
	return m.lookup(0) ? XdpAction::Pass : XdpAction::Drop;
}
