// expect: attribute
// GCC-only attributes Clang ignores (with a warning) but GCC obeys when it builds the
// native module: optimize, no_stack_protector, no_caller_saved_registers, interrupt.
#include <netext/xdp.hpp>

namespace {
__attribute__((optimize("O0", "no-tree-vrp"))) uint32_t a(uint32_t x)
{
	return x * 3;
}
__attribute__((__no_stack_protector__)) uint32_t b(uint32_t x)
{
	return x * 5;
}
[[gnu::no_caller_saved_registers]] uint32_t c(uint32_t x)
{
	return x;
}
[[gnu::musttail, gnu::noinline]] uint32_t d(uint32_t x)
{
	return x;
}
} // namespace

NETEXT_XDP(prog)
{
	return a(1) + b(2) + c(3) + d(4) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
