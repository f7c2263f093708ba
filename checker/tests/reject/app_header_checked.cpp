// expect: raw-pointer
// A header in the app's own directory may be included, and is checked.
#include <netext/xdp.hpp>

#include "app_header_checked.hpp"

NETEXT_XDP(prog)
{
	return app::any(ctx.packet().size()) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
