// expect: sdk-internal division
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/05_knob_storage_write.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: the app writes the storage behind a
// NETEXT_CONFIG knob (netext_knob_storage_limit), which the SDK hands out only as a const
// reference: the module parameter the operator set is changed by packets. The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_CONFIG(uint32_t, limit, 64);
NETEXT_MAP(slots, Array<uint64_t, 64>);

NETEXT_XDP(knob_write)
{
	[[maybe_unused]] PacketView v = ctx.packet();
	uint32_t n = 0;
#if NETEXT_BACKEND_NATIVE
	if (v.load(14, n))
		netext_knob_storage_limit = n;
#endif
	if (Ref<uint64_t> s = slots.lookup(n % (limit + 1)))
		*s += 1;
	return XdpAction::Pass;
}
