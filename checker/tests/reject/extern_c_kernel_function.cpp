// expect: external-declaration
// The app declares a kernel function itself and calls it (a module links to thousands).
#include <netext/xdp.hpp>

extern "C" unsigned long msleep_interruptible(unsigned int msecs);

NETEXT_XDP(prog)
{
	return msleep_interruptible(1000) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
