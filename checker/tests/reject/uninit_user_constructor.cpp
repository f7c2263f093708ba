// expect: uninitialized
// A default constructor of the app's that sets one field of two.
#include <netext/xdp.hpp>
using namespace netext;

struct Pair {
	Pair() : a(1) {}
	uint32_t a;
	uint32_t b;
};
NETEXT_MAP(pairs, Array<uint64_t, 1>);

NETEXT_XDP(prog)
{
	Pair p;
	(void)pairs.update(0, uint64_t{p.b});
	return XdpAction::Pass;
}
