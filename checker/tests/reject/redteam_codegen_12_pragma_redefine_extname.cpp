// expect: global-init external-declaration pragma
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/12_pragma_redefine_extname.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. codegen: #pragma redefine_extname
// renames an app declaration's assembler name to the kernel's jiffies (an asm label by pragma):
// kernel data read without extern "C" or asm(). The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#pragma redefine_extname app_ticks jiffies
extern "C" const uint64_t app_ticks;

NETEXT_XDP(redefine)
{
	(void)ctx.packet().store(14, app_ticks);
	return XdpAction::Tx;
}
