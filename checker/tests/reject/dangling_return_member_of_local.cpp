// expect: dangling
// A reference to a member of the function's own local, returned.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Pair {
	uint64_t a = 0;
	uint64_t b = 0;
};
[[gnu::noinline]] uint64_t &second()
{
	Pair p{};
	return p.b;
}
} // namespace

NETEXT_XDP(prog)
{
	uint64_t &s = second();
	(void)ctx.packet().load(14, s);
	return XdpAction::Pass;
}
