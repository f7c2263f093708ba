// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team round 3 H5: a lambda capturing a local Ref by copy (not an init-capture),
// returned from the function whose local the Ref points into.
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] static auto make(uint32_t i)
{
	netext::array<uint32_t, 4> local{};
	Ref<uint32_t> r = local.at(i & 3);
	return [r]() { return r.value_or(0); };
}
NETEXT_XDP(h5_lambda_view_copy_returned)
{
	auto rd = make(ctx.packet().byte(0));
	return rd() ? XdpAction::Drop : XdpAction::Pass;
}
