// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/04_sse_macro_split.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: #ifndef __SSE__: g++ gets -mno-sse (so __SSE__ is
// undefined), the checker does not: a goto-free computed jump ... here simply a raw pointer read of
// a packet-chosen address leaked to the packet. The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(sse_split)
{
	PacketView v = ctx.packet();
	uint64_t addr = 0;
	if (!v.load(14, addr))
		return XdpAction::Pass;
#ifndef __SSE__
	uint64_t leaked = *reinterpret_cast<const uint64_t *>(addr);
	(void)v.store(14, leaked);
#endif
	return XdpAction::Tx;
}
