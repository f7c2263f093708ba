// expect: raw-pointer
// The SDK's macros are trusted, what the app passes to them is not.
#include <netext/xdp.hpp>

NETEXT_CONFIG(uint32_t *, knob, nullptr);

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
