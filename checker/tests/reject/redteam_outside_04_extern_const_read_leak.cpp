// expect: global-init external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/04_extern_const_read_leak.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. outside: an extern "C" const declaration
// of a kernel object (init_net, read as 256 bytes) copied into the packet and sent back: leaks
// kernel pointers (KASLR) and data; const globals look like "tables". The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

extern "C" const array<uint8_t, 256> init_net;

NETEXT_XDP(leak_init_net)
{
	PacketView v = ctx.packet();
	(void)v.store(14, init_net);
	return XdpAction::Tx;
}
