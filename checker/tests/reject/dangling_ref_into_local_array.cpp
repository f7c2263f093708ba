// expect: dangling
// A Ref (SDK API only) into the function's own local array, returned: at() gives a Ref to
// the element, which dies with the frame.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] Ref<uint64_t> slot()
{
	array<uint64_t, 4> local{};
	Ref<uint64_t> r = local.at(1);
	return r;
}
} // namespace

NETEXT_XDP(prog)
{
	if (Ref<uint64_t> r = slot())
		*r = 7;
	return XdpAction::Pass;
}
