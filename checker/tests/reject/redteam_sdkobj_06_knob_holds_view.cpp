// expect: sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/06_knob_holds_view.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. sdkobj: a NETEXT_CONFIG knob of type PacketView: the knob
// storage is a mutable global the checker exempts, so a packet's view survives into the next
// invocation (use after free of the old frame) and user space can set it via sysfs. The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE
NETEXT_CONFIG(PacketView, last, {});
#endif

NETEXT_XDP(knob_view)
{
#if NETEXT_BACKEND_NATIVE
	(void)netext_knob_storage_last.store(
		0, uint32_t{0}); // the previous packet's frame, freed by now
	netext_knob_storage_last = ctx.packet();
#endif
	return XdpAction::Pass;
}
