// expect: raw-pointer
// Hidden in a macro: reported where the macro spells it.
#include <netext/xdp.hpp>

#define POINTER_TO(x) decltype(&(x))

NETEXT_XDP(prog)
{
	uint32_t v = 1;
	POINTER_TO(v) q = nullptr;
	return q ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
