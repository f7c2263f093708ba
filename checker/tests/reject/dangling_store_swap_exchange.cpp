// expect: dangling
// The toolchain's std::swap and std::exchange store what they are given into their
// reference parameter: a Ref into the frame handed out through an out-parameter.
#include <netext/xdp.hpp>
#include <utility>
using namespace netext;

namespace {
[[gnu::noinline]] void by_swap(Ref<uint32_t> &out)
{
	array<uint32_t, 2> local{};
	Ref<uint32_t> mine = local.at(0);
	std::swap(out, mine);
}

[[gnu::noinline]] void by_exchange(Ref<uint32_t> &out)
{
	array<uint32_t, 2> local{};
	(void)std::exchange(out, local.at(1));
}
} // namespace

NETEXT_XDP(prog)
{
	Ref<uint32_t> a;
	Ref<uint32_t> b;
	by_swap(a);
	by_exchange(b);
	if (a && b)
		*a = *b;
	return XdpAction::Pass;
}
