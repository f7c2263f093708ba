// expect: raw-pointer
// The SDK's macros are trusted, what the app passes to them is not.
#include <netext/xdp.hpp>

NETEXT_CONFIG(uint32_t, knob, sizeof(uint32_t *));

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
