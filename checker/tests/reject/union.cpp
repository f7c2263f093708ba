// expect: floating-point union
#include <netext/xdp.hpp>

union Word {
	uint32_t u;
	float f;
};

NETEXT_XDP(prog)
{
	Word w{};
	w.f = 1.0f;
	return w.u ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
