// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/22_no_inline_split.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: #ifndef __NO_INLINE__ (Clang without -O defines it,
// g++ -O2 does not): only the module includes the unchecked code (a union pun of a packet word into
// a Ref). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(noinline_split)
{
#ifndef __NO_INLINE__
	union {
		uint64_t w;
		Ref<uint64_t> r;
	} u{};
	if (ctx.packet().load(14, u.w) && u.r)
		*u.r = 0;
#endif
	return XdpAction::Pass;
}
