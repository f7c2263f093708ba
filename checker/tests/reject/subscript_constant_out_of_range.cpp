// expect: subscript
// A constant index is checked against the array's size too (Clang only warns).
#include <netext/xdp.hpp>

#include <array>

NETEXT_XDP(prog)
{
	uint32_t slots[4] = {};
	std::array<uint32_t, 4> more{};
	slots[4] = 1;
	more[5] = 2;
	return slots[0] + more[0] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
