// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A class template of the app's own wrapping an SDK map, its key type swapped for a wider
// one: refused by NETEXT_MAP (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
template <class V>
struct Table : Hash<uint32_t, V, 16> {
	using key_type = uint64_t;
};
NETEXT_MAP(table, Table<uint64_t>);
#else
template <class V>
using Table = Hash<uint32_t, V, 16>;
NETEXT_MAP(table, Table<uint64_t>);
#endif

NETEXT_XDP(prog)
{
	return table.lookup(1) ? XdpAction::Pass : XdpAction::Drop;
}
