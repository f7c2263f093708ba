// expect: dangling
// auto deduces std::initializer_list from a braced list: a local view of a temporary array.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
	auto weights = {1u, 2u, 3u};
	uint32_t sum = 0;
	for (uint32_t w : weights)
		sum += w;
	return sum == 6 ? XdpAction::Pass : XdpAction::Drop;
}
