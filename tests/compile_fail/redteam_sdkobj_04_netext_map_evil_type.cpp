// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sdkobj/04_netext_map_evil_type.cpp (was checker/tests/open/):
// NETEXT_MAP given an app type derived from an SDK map that redeclares value_type as
// PacketView: the descriptor said 8-byte values, lookups returned Ref<PacketView> (two
// kernel pointers, writable from user space through the map). NETEXT_MAP takes only the
// SDK's own map templates now.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
struct Evil : Array<uint64_t, 2> {
	using value_type = PacketView;
};
NETEXT_MAP(views, Evil);
#else
NETEXT_MAP(views, Array<uint64_t, 2>);
#endif

NETEXT_XDP(evil_type)
{
	return views.lookup(0) ? XdpAction::Pass : XdpAction::Drop;
}
