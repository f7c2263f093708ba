// expect: dangling
// A lambda (passed straight to a call, as lambda-capture allows) that captured the
// out-parameter by reference stores a Ref to its own local into it.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
template <class F>
void run(F &&f)
{
	f();
}

[[gnu::noinline]] void slot(Ref<uint16_t> &out)
{
	run([&] {
		array<uint16_t, 4> mine{};
		out = mine.at(3);
	});
}
} // namespace

NETEXT_XDP(prog)
{
	Ref<uint16_t> r;
	slot(r);
	if (r)
		*r = 1;
	return XdpAction::Pass;
}
