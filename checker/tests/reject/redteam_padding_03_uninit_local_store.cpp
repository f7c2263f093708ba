// expect: uninitialized
// flags: -DNETEXT_NATIVE
// Red team (issue 19), padding/03_uninit_local_store.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. padding: an uninitialised local netext::array
// (default-initialised, so indeterminate) stored whole into the packet: 64 bytes of stale
// extension-stack memory sent out. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(uninit_array)
{
	array<uint8_t, 64> scratch;
	(void)ctx.packet().store(14, scratch);
	return XdpAction::Tx;
}
