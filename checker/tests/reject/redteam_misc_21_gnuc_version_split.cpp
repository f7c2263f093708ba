// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/21_gnuc_version_split.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. misc: #if __GNUC__ >= 12 (Clang claims GCC 4.2):
// the module gets an asm statement and an OOB write the checker never parses. The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(gnuc_split)
{
#if __GNUC__ >= 12
	asm volatile("wbinvd");
#endif
	return XdpAction::Pass;
}
