// expect: subscript generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H1 (issue 19): a generic lambda's instantiated body was never walked
// (RecursiveASTVisitor reaches a lambda only through its LambdaExpr, whose body is the
// pattern): `a[i]` with a packet-chosen i wrote anywhere on the stack. Now the
// instantiation (subscript) and the pattern (generic-code) are both refused.
#include <netext/xdp.hpp>
using namespace netext;
NETEXT_XDP(h1_generic_subscript)
{
	uint32_t a[4] = {};
	auto put = [](auto &arr, auto i, uint32_t v) { arr[i] = v; };
	put(a, static_cast<uint32_t>(ctx.packet().byte(0)), 7u);
	return a[0] ? XdpAction::Drop : XdpAction::Pass;
}
