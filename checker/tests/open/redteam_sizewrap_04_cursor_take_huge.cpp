// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sizewrap/04_cursor_take_huge.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sizewrap: Cursor::take<T>() with a T of 2^32 + 8
// bytes: the bounds check sees 8 bytes (size truncated to uint32_t), reads through the Ref go 4 GiB
// past the packet (leaked into the packet). The native gate passes -DNETEXT_NATIVE; the corpus runs
// without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE // the eBPF object (built with -Werror) only needs the maps

using Jumbo = array<uint8_t, (1ull << 32) + 8>;

NETEXT_XDP(huge_take)
{
	Cursor c{ctx.packet()};
	uint32_t idx = 0;
	if (!c.view().load(14, idx))
		return XdpAction::Pass;
	if (Ref<Jumbo> j = c.take<Jumbo>()) {
		uint8_t leaked = j->at_or(idx, 0);
		(void)c.view().store(14, leaked);
	}
	return XdpAction::Tx;
}
#else
NETEXT_XDP(huge_take)
{
	return XdpAction::Pass;
}
#endif
