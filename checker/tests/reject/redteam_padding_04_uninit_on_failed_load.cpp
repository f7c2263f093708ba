// expect: uninitialized
// flags: -DNETEXT_NATIVE
// Red team (issue 19), padding/04_uninit_on_failed_load.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. padding: a local left unset when v.load() fails
// (the SDK leaves `out` untouched) and then written to the packet and a map: stale stack bytes leak
// on short packets. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_MAP(last, Array<uint64_t, 1>);

NETEXT_XDP(uninit_load)
{
	PacketView v = ctx.packet();
	uint64_t x;
	(void)v.load(9000, x); // always fails
	(void)last.update(0, x);
	(void)v.store(14, x);
	return XdpAction::Tx;
}
