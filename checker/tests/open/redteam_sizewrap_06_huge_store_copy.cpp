// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sizewrap/06_huge_store_copy.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sizewrap: v.store<T>() of a T bigger than 4 GiB
// referenced from the packet itself (no stack copy): the check uses the truncated size, the memcpy
// the real one, overwriting kernel memory after the packet. The native gate passes -DNETEXT_NATIVE;
// the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE // the eBPF object (built with -Werror) only needs the maps

using Huge = array<uint8_t, (1ull << 32) + 8>;

NETEXT_XDP(huge_store)
{
	PacketView v = ctx.packet();
	if (Ref<Huge> h = v.get<Huge>(0))
		(void)v.store(0, *h);
	return XdpAction::Pass;
}
#else
NETEXT_XDP(huge_store)
{
	return XdpAction::Pass;
}
#endif
