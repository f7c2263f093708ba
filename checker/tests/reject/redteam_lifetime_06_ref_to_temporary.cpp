// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/06_ref_to_temporary.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. lifetime: const uint64_t& bound to a max() helper's
// result over a temporary (the classic std::max dangling): the temporary dies at the end of the
// full-expression, the reference is read later (stale stack data copied into the packet). The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
template <class T>
NETEXT_INLINE const T &max_of(const T &a, const T &b)
{
	return a < b ? b : a;
}
[[gnu::noinline]] uint64_t bump(uint64_t x)
{
	return x + 1;
}
} // namespace

NETEXT_XDP(ref_temp)
{
	PacketView v = ctx.packet();
	uint64_t a = 0;
	if (!v.load(14, a))
		return XdpAction::Pass;
	const uint64_t &m = max_of(a, bump(a));
	uint64_t noise = bump(m) * 3;
	(void)v.store(14, m + noise);
	return XdpAction::Tx;
}
