// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sizewrap/07_huge_map_key.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. sizewrap: v.get<array<uint32_t, 2^30+4>>() (sizeof
// truncated to 16 by the uint32_t length): at_or(idx) reads any word up to 4 GiB past the packet,
// leaked to user space as a map key. The native gate passes -DNETEXT_NATIVE; the corpus runs
// without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;
NETEXT_MAP(hits, Hash<uint32_t, uint64_t, 64>);

#if NETEXT_BACKEND_NATIVE // the eBPF object (built with -Werror) only needs the maps

using Huge = array<uint32_t, (1ull << 30) + 4>;

NETEXT_XDP(huge_key)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	if (Ref<Huge> h = v.get<Huge>(0)) {
		uint32_t key = h->at_or(idx, 0); // any word up to 4 GiB past the packet
		(void)hits.update(key, 1);
	}
	return XdpAction::Pass;
}
#else
NETEXT_XDP(huge_key)
{
	return XdpAction::Pass;
}
#endif
