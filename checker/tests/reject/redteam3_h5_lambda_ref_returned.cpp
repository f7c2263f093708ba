// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team round 3 H5 (issue 19, l03): a lambda holding, by value, a Ref into its maker's
// local array is returned; the Ref dangles into the dead frame. A closure that captures a
// frame-bound handle is itself frame-bound.
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] static auto make(uint32_t i)
{
	netext::array<uint64_t, 8> local{};
	return [r = local.at(i & 7)]() { return r.value_or(0); };
}
NETEXT_XDP(h5_lambda_ref_returned)
{
	auto rd = make(ctx.packet().byte(0));
	(void)ctx.packet().store(8, rd());
	return XdpAction::Pass;
}
