// expect: floating-point pragma
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/03_pragma_gcc_target.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: #pragma GCC target("sse4.2,avx") around
// app code (a GCC pragma the Clang-based checker ignores): vector code in the kernel without FPU
// protection. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

#pragma GCC push_options
#pragma GCC target("sse4.2,avx")
namespace {
[[gnu::noinline]] uint64_t crunch(array<uint64_t, 32> &a)
{
	double s = 0;
	for (std::size_t i = 0; i < 32; i++)
		s += static_cast<double>(a[i]) * 0.5;
	return static_cast<uint64_t>(s);
}
} // namespace
#pragma GCC pop_options

NETEXT_XDP(pragma_target)
{
	PacketView v = ctx.packet();
	array<uint64_t, 32> a{};
	if (v.load(14, a))
		(void)v.store(14, crunch(a));
	return XdpAction::Pass;
}
