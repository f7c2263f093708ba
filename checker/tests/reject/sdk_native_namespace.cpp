// expect: sdk-internal
// options: --extra-arg=-DNETEXT_NATIVE
// The native backend's runtime, named by the app.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	using netext::native::kHookTc;
	return kHookTc ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
