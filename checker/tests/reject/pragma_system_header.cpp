// expect: pragma
// #pragma GCC system_header in the app's own header is refused.
#include <netext/xdp.hpp>

#include "pragma_system_header.hpp"

NETEXT_XDP(prog)
{
	return unchecked_helper(1) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
