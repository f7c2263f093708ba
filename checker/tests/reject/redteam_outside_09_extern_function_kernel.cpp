// expect: external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/09_extern_function_kernel.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. outside: an extern "C" declaration of an
// exported kernel function (emergency_restart) called on a magic packet: the app reaches any
// exported kernel API (the stack bound is a second line here). The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

extern "C" void emergency_restart();

NETEXT_XDP(reboot)
{
	if (ctx.packet().byte(14) == 0x42)
		emergency_restart();
	return XdpAction::Pass;
}
