// expect: external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/10_extern_cpp_linkage_var.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. outside: a block-scope extern
// declaration of the kernel's exported jiffies as a const object, read into the packet (kernel data
// reached without the SDK; the non-const form is also tried in 03). The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(block_extern)
{
	extern const uint64_t jiffies;
	(void)ctx.packet().store(14, jiffies);
	return XdpAction::Tx;
}
