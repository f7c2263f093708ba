// expect: subscript generic-code
// The subscript sits in a template: its instantiation for a C array is checked.
#include <netext/xdp.hpp>

namespace {
template <class A>
auto &element(A &a, uint32_t i)
{
	return a[i];
}
} // namespace

NETEXT_XDP(prog)
{
	uint16_t ports[8] = {};
	element(ports, ctx.packet().size()) = 7;
	return ports[0] ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
