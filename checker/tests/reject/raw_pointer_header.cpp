// expect: raw-pointer forbidden-include
// A non-SDK header outside the app's directory: its include is rejected, and what it
// contains is checked like the app's own code.
#include <netext/xdp.hpp>

#include "evil_helpers.hpp"

NETEXT_XDP(prog)
{
	return evil::first_nonzero() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
