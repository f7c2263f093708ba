// expect: virtual-function indirect-call
#include <netext/xdp.hpp>

struct Handler {
	virtual bool handle() const { return true; }
};

static bool run(const Handler &h)
{
	return h.handle();
}

NETEXT_XDP(prog)
{
	Handler h;
	return run(h) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
