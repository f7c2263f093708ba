// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/03_stdc_hosted_split.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: #if !__STDC_HOSTED__: only g++ gets -ffreestanding,
// so only the module sees the union-based type pun that turns a packet word into a Ref. The native
// gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

#if !__STDC_HOSTED__
union Pun {
	uint64_t word;
	Ref<uint64_t> ref;
};
#endif

NETEXT_XDP(hosted_split)
{
#if !__STDC_HOSTED__
	Pun p{};
	if (ctx.packet().load(14, p.word) && p.ref)
		*p.ref = 0;
#endif
	return XdpAction::Pass;
}
