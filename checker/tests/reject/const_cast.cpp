// expect: global-init const-cast
#include <netext/xdp.hpp>

static const uint32_t kLimit = 3;

NETEXT_XDP(prog)
{
	const_cast<uint32_t &>(kLimit) = 4;
	return netext::XdpAction::Pass;
}
