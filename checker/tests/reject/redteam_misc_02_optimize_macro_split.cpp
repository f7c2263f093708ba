// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/02_optimize_macro_split.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. misc: #ifdef __OPTIMIZE__: the gate runs the
// checker without -O2 but compiles with it, so only the module gets the inline asm (here: cli,
// interrupts off forever). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so
// it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(optimize_split)
{
#ifdef __OPTIMIZE__
	asm volatile("cli");
#endif
	return XdpAction::Pass;
}
