// expect: preprocessor
// Redefining a keyword before the SDK's headers opens their private members.
#define private public
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
