// expect: uninitialized
// The outer struct's field has no initialiser of its own, and the inner struct leaves one
// field unset: default construction sets nothing there.
#include <netext/xdp.hpp>
using namespace netext;

struct Inner {
	uint32_t a = 0;
	uint32_t b;
};
struct Outer {
	uint64_t stamp = 0;
	Inner in;
};
NETEXT_MAP(out, Array<Outer, 1>);

NETEXT_XDP(prog)
{
	Outer o;
	(void)out.update(0, o);
	return XdpAction::Pass;
}
