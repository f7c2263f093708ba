// expect: raw-pointer
// `auto` deduced from an array decays to a pointer; the address-of makes one too.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint32_t a[2] = {1, 2};
	auto first = a;
	uint32_t x = 0;
	return (first && &x) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
