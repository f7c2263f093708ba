// expect: dangling
// The helper stores one reference argument into the other (fine on its own: both are the
// caller's); the caller hands it its out-parameter and its own local array.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] void link(Ref<uint64_t> &dst, array<uint64_t, 2> &src)
{
	dst = src.at(0);
}

[[gnu::noinline]] void slot(Ref<uint64_t> &out)
{
	array<uint64_t, 2> local{};
	link(out, local);
}
} // namespace

NETEXT_XDP(prog)
{
	Ref<uint64_t> r;
	slot(r);
	if (r)
		*r = 3;
	return XdpAction::Pass;
}
