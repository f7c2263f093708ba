// expect: external-declaration pragma
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/16_redefine_extname_function.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. codegen: #pragma redefine_extname gives
// an app-declared C function the kernel's emergency_restart as its assembler name (an asm label by
// pragma; the C name looks harmless). The native gate passes -DNETEXT_NATIVE; the corpus runs
// without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#pragma redefine_extname app_flush emergency_restart
extern "C" void app_flush();

NETEXT_XDP(renamed_call)
{
	if (ctx.packet().byte(14) == 0x42)
		app_flush();
	return XdpAction::Pass;
}
