// expect: attribute floating-point
// flags: -DNETEXT_NATIVE
// Red team (issue 19), codegen/13_lambda_target_attr.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. codegen: the target("sse2") attribute placed on a
// lambda's call operator (the attribute between the parameter list and the body), used for double
// math on packet data. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(lambda_target)
{
	PacketView v = ctx.packet();
	uint64_t x = 0;
	auto scale = [](uint64_t y) __attribute__((target("sse2"), noinline))
	{
		return static_cast<uint64_t>(static_cast<double>(y) * 2.5);
	};
	if (v.load(14, x))
		(void)v.store(14, scale(x));
	return XdpAction::Pass;
}
