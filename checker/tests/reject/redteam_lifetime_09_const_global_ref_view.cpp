// expect: reference-member dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/09_const_global_ref_view.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. lifetime: a struct holding a const
// PacketView& is returned from a helper given the temporary ctx.packet(): the temporary view dies
// at the end of the statement and is used afterwards (dangling reference). The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Keeper {
	const PacketView &v;
};
[[gnu::noinline]] Keeper keep(const PacketView &v)
{
	return Keeper{v};
}
} // namespace

NETEXT_XDP(keep_view)
{
	Keeper k = keep(ctx.packet()); // the temporary view dies here
	(void)k.v.store(0, uint64_t{0});
	return XdpAction::Pass;
}
