// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A view or a Ref made out of bytes would point anywhere.
#include <netext/xdp.hpp>

#include <array>
#include <bit>

using namespace netext;
NETEXT_XDP(prog)
{
	std::array<uint64_t, 2> raw{};
#ifdef NETEXT_EXPECT_FAIL
	PacketView v = std::bit_cast<PacketView>(raw);
	Ref<uint64_t> r = std::bit_cast<Ref<uint64_t>>(raw.at(0));
	(void)r;
#else
	PacketView v = ctx.packet();
	(void)raw;
#endif
	return v.byte(0) == 1 ? XdpAction::Drop : XdpAction::Pass;
}
