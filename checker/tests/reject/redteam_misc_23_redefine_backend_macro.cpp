// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/23_redefine_backend_macro.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. misc: the app redefines the SDK's
// NETEXT_BACKEND_NATIVE to 0 between backend.hpp and packet.hpp: the trusted header then compiles
// Ref without its native empty check, and map.lookup() misses dereference NULL+offset in the kernel
// (oops). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/backend.hpp>
#undef NETEXT_BACKEND_NATIVE
#define NETEXT_BACKEND_NATIVE 0
#include <netext/packet.hpp>
#undef NETEXT_BACKEND_NATIVE
#define NETEXT_BACKEND_NATIVE 1
#include <netext/xdp.hpp>
using namespace netext;

struct Big {
	array<uint64_t, 512> w;
};
NETEXT_MAP(sessions, Hash<uint32_t, Big, 16>);

NETEXT_XDP(unchecked_ref)
{
	uint32_t k = 0;
	uint16_t i = 0;
	if (!ctx.packet().load(14, k) || !ctx.packet().load(18, i))
		return XdpAction::Pass;
	Ref<Big> b = sessions.lookup(k);
	b->w.set(i, 0); // a miss writes near address 0 (i * 8 up to 4 KiB)
	return XdpAction::Pass;
}
