// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team round 3, e10: a bool map value (user space may store 0xff) used as an index.
// Map keys and values are Wire, which is Bits: no bool at any depth.
#include <netext/maps.hpp>
#include <netext/xdp.hpp>
using namespace netext;

struct Flags {
#ifdef NETEXT_EXPECT_FAIL
	bool on;
	array<uint8_t, 3> pad;
#else
	uint8_t on;
	array<uint8_t, 3> pad;
#endif
};
NETEXT_MAP(flags, Array<Flags, 1>);

NETEXT_XDP(prog)
{
	if (auto f = flags.lookup(0u))
		return f->on ? XdpAction::Drop : XdpAction::Pass;
	return XdpAction::Pass;
}
