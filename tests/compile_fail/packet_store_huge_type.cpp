// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// store() of a T of 2^33 + 2 bytes reached by reference (issue 19, the sizewrap class): the
// truncated size is 2, the copy 8 GiB. Refused by store's 64-bit size check.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Huge = array<uint16_t, (1ull << 32) + 1>;
#else
using Huge = array<uint16_t, 1>;
#endif

namespace {
bool copy_in(const PacketView &v, const Huge &h)
{
	return v.store(0, h);
}
} // namespace

NETEXT_XDP(prog)
{
	(void)&copy_in;
	return XdpAction::Pass;
}
