// expect: dangling
// A member function and a constructor make the object (the caller's) refer into their own
// frame: a local array, a by-value parameter.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Holder {
	Ref<uint8_t> r;

	explicit Holder(array<uint8_t, 4> copy) : r(copy.at(0)) {}

	[[gnu::noinline]] void grab()
	{
		array<uint8_t, 4> local{};
		r = local.at(2);
	}
};
} // namespace

NETEXT_XDP(prog)
{
	array<uint8_t, 4> bytes{};
	Holder h(bytes);
	h.grab();
	if (h.r)
		*h.r = 5;
	return XdpAction::Pass;
}
