// expect: subscript
// std::array::operator[] does not check its index either.
#include <netext/xdp.hpp>

#include <array>

NETEXT_XDP(prog)
{
	netext::PacketView v = ctx.packet();
	std::array<uint64_t, 8> counts{};
	uint8_t i = 0;
	if (!v.load(0, i))
		return netext::XdpAction::Pass;
	counts[i] += 1;
	return counts[0] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
