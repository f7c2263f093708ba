// expect: uninitialized
// A C array of scalars without an initialiser, stored to a map after a partial fill.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_MAP(last, Array<uint64_t, 1>);

NETEXT_XDP(prog)
{
	uint64_t words[2];
	words[0] = 1;
	(void)last.update(0, words[1]);
	return XdpAction::Pass;
}
