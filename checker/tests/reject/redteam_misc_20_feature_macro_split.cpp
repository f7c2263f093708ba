// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/20_feature_macro_split.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. misc: a feature-test macro only g++ 12 defines
// (__cpp_consteval; Clang 16 does not define it): the checker parses the harmless branch, the
// module gets the raw-pointer one. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(feature_split)
{
	uint64_t addr = 0;
	if (!ctx.packet().load(14, addr))
		return XdpAction::Pass;
#ifdef __cpp_consteval
	*reinterpret_cast<uint64_t *>(addr) = 0;
#endif
	return XdpAction::Pass;
}
