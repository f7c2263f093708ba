// expect: sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/02_desc_field_write.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: the app writes fields of an SDK-generated
// map descriptor (value_size, max_entries, type): netext.ko's view of the bound map no longer
// matches the map, its checks use the app's numbers. The native gate passes -DNETEXT_NATIVE; the
// corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_MAP(table, Array<uint64_t, 4>);

NETEXT_XDP(desc_write)
{
	PacketView v = ctx.packet();
	uint32_t n = 0;
	if (!v.load(14, n))
		return XdpAction::Pass;
#if NETEXT_BACKEND_NATIVE
	netext_map_desc_table.max_entries = n;
	netext_map_desc_table.value_size = n;
	netext_map_desc_table.type = 1;
#endif
	if (Ref<uint64_t> x = table.lookup(n))
		*x = 0;
	return XdpAction::Pass;
}
