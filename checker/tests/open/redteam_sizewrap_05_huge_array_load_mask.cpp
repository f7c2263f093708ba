// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sizewrap/05_huge_array_load_mask.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sizewrap: a truncated-size Ref to a 2^32+64 byte
// array (from v.get) used with array::load<uint64_t, 0xffffffff>: every static check holds in 64
// bits, the read goes 4 GiB past the packet. The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE // the eBPF object (built with -Werror) only needs the maps

using Big = array<uint8_t, (1ull << 32) + 64>;

NETEXT_XDP(huge_load)
{
	PacketView v = ctx.packet();
	uint32_t off = 0;
	if (!v.load(14, off))
		return XdpAction::Pass;
	if (Ref<Big> b = v.get<Big>(0)) {
		uint64_t leaked = 0;
		if (b->load<uint64_t, 0xffffffffu>(off, leaked))
			(void)v.store(14, leaked);
	}
	return XdpAction::Tx;
}
#else
NETEXT_XDP(huge_load)
{
	return XdpAction::Pass;
}
#endif
