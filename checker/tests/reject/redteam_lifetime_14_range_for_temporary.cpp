// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/14_range_for_temporary.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. lifetime: a reference returned by a member function
// of a temporary (make(x).all()) bound to a local: the temporary dies at the end of the statement,
// the loop then reads dead stack. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Batch {
	array<uint64_t, 8> vals;
	const array<uint64_t, 8> &all() const noexcept { return vals; }
};
[[gnu::noinline]] Batch make(uint64_t x)
{
	Batch b{};
	b.vals.set(0, x);
	return b;
}
} // namespace

NETEXT_XDP(range_for_temp)
{
	PacketView v = ctx.packet();
	uint64_t x = 0, sum = 0;
	if (!v.load(14, x))
		return XdpAction::Pass;
	const array<uint64_t, 8> &all = make(x).all(); // the Batch temporary dies here
	for (uint32_t i = 0; i < 8; i++)
		sum += all.at_or(i, 0);
	(void)v.store(14, sum);
	return XdpAction::Tx;
}
