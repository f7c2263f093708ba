// expect: goto
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t n = 0;
again:
	if (++n < 3)
		goto again;
	return netext::XdpAction::Pass;
}
