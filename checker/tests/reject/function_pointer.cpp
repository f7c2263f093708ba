// expect: function-pointer indirect-call
#include <netext/xdp.hpp>

static bool yes()
{
	return true;
}

using Pred = bool (*)();

NETEXT_XDP(prog)
{
	Pred p = yes;
	return p() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
