// expect: reinterpret-cast
#include <netext/xdp.hpp>

struct Two {
	uint16_t a, b;
};

NETEXT_XDP(prog)
{
	uint32_t x = 1;
	Two &t = reinterpret_cast<Two &>(x);
	return t.a ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
