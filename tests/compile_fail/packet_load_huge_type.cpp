// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// load<T>() with sizeof(T) = 2^32 + 4 (issue 19, the sizewrap class): a 4-byte check, then
// a copy of 4 GiB out of the packet. Refused by load's 64-bit size check.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Huge = array<uint8_t, (1ull << 32) + 4>;
#else
using Huge = array<uint8_t, 4>;
#endif

namespace {
bool copy_out(const PacketView &v, Huge &h)
{
	return v.load(0, h);
}
} // namespace

NETEXT_XDP(prog)
{
	(void)&copy_out;
	return XdpAction::Pass;
}
