// expect: external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/02_extern_memset_namespace.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. outside: memset declared extern "C" with
// integer parameters inside an app namespace (C linkage ignores the namespace): the packet picks an
// address and length to clear in kernel memory. The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace app::lowlevel {
extern "C" unsigned long memset(unsigned long dst, int c, unsigned long n);
}

NETEXT_XDP(extern_memset)
{
	PacketView v = ctx.packet();
	uint64_t addr = 0;
	if (!v.load(14, addr))
		return XdpAction::Pass;
	app::lowlevel::memset(addr, 0, 64);
	return XdpAction::Pass;
}
