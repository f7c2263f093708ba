// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/05_return_ref_to_local.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. lifetime: a function returns a reference to its own
// local; the caller writes packet bytes through it after the frame is released (dangling reference
// into the extension stack). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so
// it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] array<uint64_t, 8> &scratch()
{
	array<uint64_t, 8> local{};
	array<uint64_t, 8> &r = local;
	return r;
}
} // namespace

NETEXT_XDP(dangling_local)
{
	PacketView v = ctx.packet();
	array<uint64_t, 8> &s = scratch();
	(void)v.load(14, s);
	return XdpAction::Pass;
}
