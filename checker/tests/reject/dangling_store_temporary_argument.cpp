// expect: dangling
// A helper that stores a Ref into its array argument, given a temporary array: the local
// Ref refers into a temporary that dies at the end of the statement.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] void link(Ref<const uint32_t> &dst, const array<uint32_t, 2> &src)
{
	dst = src.at(0);
}
} // namespace

NETEXT_XDP(prog)
{
	Ref<const uint32_t> r;
	link(r, array<uint32_t, 2>{});
	uint32_t v = r.value_or(0);
	ctx.packet().store(0, v);
	return XdpAction::Pass;
}
