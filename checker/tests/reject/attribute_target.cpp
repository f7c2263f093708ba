// expect: attribute
// Code generation switches: SSE/AVX code in a softirq without kernel_fpu_begin, in every
// spelling.
#include <netext/xdp.hpp>

namespace {
__attribute__((target("sse2"))) uint32_t a(uint32_t x)
{
	return x * 3;
}
[[gnu::target("avx2")]] uint32_t b(uint32_t x)
{
	return x * 5;
}
[[using gnu: noinline, target("sse4.2")]] uint32_t c(uint32_t x)
{
	return x * 7;
}
[[clang::target("avx")]] uint32_t d(uint32_t x)
{
	return x;
}
} // namespace

NETEXT_XDP(prog)
{
	return a(1) + b(2) + c(3) + d(4) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
