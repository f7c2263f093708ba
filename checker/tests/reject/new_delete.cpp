// expect: dynamic-alloc raw-pointer
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	auto &x = *new uint32_t(1);
	delete &x;
	return netext::XdpAction::Pass;
}
