// Stores of references, views and Refs that do not outlive their referents: into the
// caller's objects from what the caller gave (reference parameters), a packet view into an
// out-parameter, and a helper linking two locals of the same frame.
#include <netext/xdp.hpp>
#include <utility>
using namespace netext;

namespace {
struct Slots {
	Ref<uint32_t> r;
	uint32_t n = 0;
};

[[gnu::noinline]] void link(Ref<uint32_t> &dst, array<uint32_t, 4> &src)
{
	dst = src.at(2);
}

[[gnu::noinline]] void fill(Slots &s, array<uint32_t, 4> &src)
{
	s.r = src.at(1);
	s.n = 1;
}

[[gnu::noinline]] void swap_in(Ref<uint32_t> &a, Ref<uint32_t> &b)
{
	std::swap(a, b);
}
} // namespace

NETEXT_XDP(prog)
{
	array<uint32_t, 4> local{};
	Ref<uint32_t> r;
	Ref<uint32_t> q;
	link(r, local);
	link(q, local);
	swap_in(r, q);
	Slots s{};
	fill(s, local);
	Slots t{};
	t = s;
	if (r && t.r)
		*r = *t.r + s.n;
	ctx.packet().store(0, local.at_or(2, 0));
	return XdpAction::Pass;
}
