// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/04_netext_map_evil_type.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: NETEXT_MAP given an app type derived from
// an SDK Map that redefines value_type as PacketView: the descriptor says 8 bytes, lookups return
// Ref<PacketView> (16 bytes, two kernel pointers, writable from user space through the map). The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if NETEXT_BACKEND_NATIVE
struct Evil : Array<uint64_t, 2> {
	using value_type = PacketView;
};
NETEXT_MAP(views, Evil);
#else
NETEXT_MAP(views, Array<uint64_t, 2>);
#endif

NETEXT_XDP(evil_type)
{
#if NETEXT_BACKEND_NATIVE
	if (Ref<PacketView> saved = views.lookup(0)) {
		(void)saved->store(0, uint64_t{0}); // the pointers user space wrote into the map
		*saved = ctx.packet(); // and this packet's address, for user space to read
	}
#endif
	return XdpAction::Pass;
}
