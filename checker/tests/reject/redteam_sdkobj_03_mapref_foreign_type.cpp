// expect: sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/03_mapref_foreign_type.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: the app instantiates netext::MapRef itself
// with a 4 KiB value type on the 8-byte map's SDK descriptor: lookup() returns Ref<Page> into an
// 8-byte value, writes go 4 KiB past it. The native gate passes -DNETEXT_NATIVE; the corpus runs
// without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

struct Page {
	array<uint64_t, 512> w;
};
NETEXT_MAP(counter, Array<uint64_t, 1>);

#if NETEXT_BACKEND_NATIVE
namespace {
constexpr MapRef<Array<Page, 1>, netext_map_desc_counter> alias{};
}
#endif

NETEXT_XDP(foreign_type)
{
#if NETEXT_BACKEND_NATIVE
	if (Ref<Page> p = alias.lookup(0))
		p->w.set(511, 0);
#endif
	return XdpAction::Pass;
}
