// expect: attribute
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/05_no_retpoline_attrs.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: [[gnu::indirect_branch("keep"),
// gnu::function_return("keep")]] drop the retpoline and return-thunk mitigations the native flags
// and the packaged kernel require (Spectre v2 / Retbleed gadgets in kernel text). The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::indirect_branch("keep"), gnu::function_return("keep"), gnu::noinline]] uint32_t
pick(uint32_t x)
{
	switch (x & 7) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 37;
	case 3: return 41;
	case 4: return 53;
	case 5: return 67;
	case 6: return 79;
	default: return 97;
	}
}
} // namespace

NETEXT_XDP(no_mitigations)
{
	PacketView v = ctx.packet();
	uint32_t x = 0;
	if (v.load(14, x))
		(void)v.store(14, pick(x));
	return XdpAction::Pass;
}
