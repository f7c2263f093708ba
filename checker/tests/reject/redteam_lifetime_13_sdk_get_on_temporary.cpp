// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/13_sdk_get_on_temporary.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. lifetime: SDK API only: a reference from
// netext::array::get<I>() called on a temporary array (returned by value) outlives the temporary;
// later calls reuse its stack slot. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] array<uint64_t, 4> snapshot(uint64_t x)
{
	return array<uint64_t, 4>{x, x + 1, x + 2, x + 3};
}
[[gnu::noinline]] uint64_t churn(uint64_t x)
{
	array<uint64_t, 16> noise{};
	noise.set(x & 15, x);
	return noise.at_or(3, 0);
}
} // namespace

NETEXT_XDP(get_on_temp)
{
	PacketView v = ctx.packet();
	uint64_t x = 0;
	if (!v.load(14, x))
		return XdpAction::Pass;
	uint64_t &first = snapshot(x).get<0>(); // dangles at the semicolon
	uint64_t c = churn(x);
	first = c; // writes into a dead slot of the extension stack
	(void)v.store(14, first);
	return XdpAction::Tx;
}
