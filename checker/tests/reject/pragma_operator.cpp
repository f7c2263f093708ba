// expect: pragma
// _Pragma through the app's macros, and clang's own attribute pragma.
#include <netext/xdp.hpp>

#define NO_OPT	 _Pragma("GCC optimize(\"O0\")")
#define SPEED(x) _Pragma(#x)

NO_OPT
SPEED(GCC target("avx2"))
#pragma clang attribute push(__attribute__((cold)), apply_to = function)
namespace {
uint32_t f(uint32_t x)
{
	return x * 3;
}
} // namespace
#pragma clang attribute pop

NETEXT_XDP(prog)
{
	return f(1) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
