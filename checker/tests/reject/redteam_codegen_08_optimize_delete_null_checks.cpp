// expect: pragma
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/08_optimize_delete_null_checks.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. codegen: #pragma GCC
// optimize("delete-null-pointer-checks") (and optimize("O0")-style switches) re-enable what the
// native flags turned off: GCC may delete Ref's empty check after a dereference, so an empty Ref
// reads page 0. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

#pragma GCC optimize("delete-null-pointer-checks", "strict-aliasing")

NETEXT_MAP(vals, Hash<uint32_t, uint64_t, 16>);

NETEXT_XDP(optimize_pragma)
{
	uint32_t k = 0;
	(void)ctx.packet().load(14, k);
	Ref<uint64_t> r = vals.lookup(k);
	uint64_t x = *r; // faults on empty natively... unless the check is deleted
	if (!r)
		return XdpAction::Drop;
	(void)ctx.packet().store(14, x);
	return XdpAction::Pass;
}
