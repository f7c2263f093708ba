// expect: pragma
// GCC's pragmas Clang does not act on, but GCC does when it builds the native module.
#include <netext/xdp.hpp>

#pragma GCC push_options
#pragma GCC optimize("O0")
#pragma GCC target("sse2")

namespace {
uint32_t f(uint32_t x)
{
	return x * 3;
}
} // namespace

#pragma GCC pop_options

NETEXT_XDP(prog)
{
	return f(1) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
