// expect: sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/07_std_swap_desc.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. sdkobj: std::swap of two SDK map descriptors (a hash of
// 8-byte values and an array of 1 KiB values): each name now operates on the other map with the
// wrong value size. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
#include <utility>
using namespace netext;

struct Kilo {
	array<uint64_t, 128> w;
};
NETEXT_MAP(small, Hash<uint32_t, uint64_t, 16>);
NETEXT_MAP(large, Array<Kilo, 1>);

NETEXT_XDP(swap_desc)
{
#if NETEXT_BACKEND_NATIVE
	std::swap(netext_map_desc_small, netext_map_desc_large);
#endif
	if (Ref<Kilo> k = large.lookup(0))
		k->w.set(127, 1);
	return XdpAction::Pass;
}
