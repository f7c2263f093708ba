// options: --strict-loops
// Bounded loop forms --strict-loops accepts: a second variable stepped in the increment
// (comma), and a range-for over a braced list.
#include <netext/xdp.hpp>

using namespace netext;

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t sum = 0;
	uint32_t i = 0;
	for (uint32_t k = 0; k < 8; k++, i += 8)
		sum += static_cast<uint32_t>(v.byte(i));
	for (uint32_t off : {12u, 14u, 16u})
		sum += static_cast<uint32_t>(v.byte(off));
	return sum > 100 ? XdpAction::Pass : XdpAction::Drop;
}
