// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sizewrap/03_get_huge_type.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. sizewrap: v.get<T>() with sizeof(T) = 2^32 + 16: the size
// is passed as uint32_t len, truncated to 16, so a 16-byte check yields a Ref to a 4 GiB object;
// set()/at_or() then reach 4 GiB past the packet. The native gate passes -DNETEXT_NATIVE; the
// corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE // the eBPF object (built with -Werror) only needs the maps

using Huge = array<uint8_t, (1ull << 32) + 16>;

NETEXT_XDP(huge_get)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	if (Ref<Huge> h = v.get<Huge>(0))
		(void)h->set(idx, 0x41); // "checked" against N = 2^32 + 16
	return XdpAction::Pass;
}
#else
NETEXT_XDP(huge_get)
{
	return XdpAction::Pass;
}
#endif
