// expect: sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/01_desc_assign_rebind.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: the app assigns one SDK-generated map
// descriptor to another (netext_map_desc_big = netext_map_desc_small): big's lookups now return
// Ref<Big> into small's 8-byte values, and writes run past them into the kernel heap. The native
// gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

struct Big {
	array<uint64_t, 64> words;
};
NETEXT_MAP(small, Array<uint64_t, 1>);
NETEXT_MAP(big, Array<Big, 1>);

NETEXT_XDP(rebind)
{
#if NETEXT_BACKEND_NATIVE
	netext_map_desc_big = netext_map_desc_small;
#endif
	if (Ref<Big> b = big.lookup(0))
		b->words.set(63, 0x4141414141414141);
	return XdpAction::Pass;
}
