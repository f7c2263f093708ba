// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/01_clang_split.cpp, accepted by netext-check at 64df7b4b56 (11:49 UTC)
// and compiled by the native flags. misc: #ifndef __clang__: the Clang-based checker parses a
// harmless body, g++ (which builds the module) compiles a raw-pointer write to a packet-chosen
// kernel address. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(clang_split)
{
	PacketView v = ctx.packet();
	uint64_t addr = 0;
	if (!v.load(14, addr))
		return XdpAction::Pass;
#ifndef __clang__
	*reinterpret_cast<uint64_t *>(addr) = 0;
#endif
	return XdpAction::Pass;
}
