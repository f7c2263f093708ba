// expect: floating-point generic-code
// Floating point in a softirq, through a type, a constant and a conversion.
#include <netext/xdp.hpp>

namespace {
template <class T>
T scaled(uint32_t x)
{
	return static_cast<T>(x) * 1.5;
}
} // namespace

NETEXT_XDP(prog)
{
	auto s = scaled<double>(ctx.packet().size());
	return s > 100 ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
