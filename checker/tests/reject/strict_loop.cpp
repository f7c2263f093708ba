// expect: unbounded-loop
// options: --strict-loops
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	netext::PacketView v = ctx.packet();
	uint32_t n = 0;
	uint8_t b = 0;
	while (v.load(n, b) && b != 0)
		++n;
	for (uint32_t i = 0; i < n; ++i)
		b ^= 1;
	for (uint32_t i = 0; i < 16; ++i)
		i += b;
	return b ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
