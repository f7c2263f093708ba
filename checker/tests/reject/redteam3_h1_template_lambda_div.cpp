// expect: division generic-code
// flags: -DNETEXT_NATIVE
// Red team round 3 H1: a lambda with a template parameter list dividing by a packet byte
// (#DE in softirq natively when it is 0).
#include <netext/xdp.hpp>
using namespace netext;
NETEXT_XDP(h1_template_lambda_div)
{
	auto dv = []<class T>(T a, T b) { return a / b; };
	uint32_t q = dv(100u, static_cast<uint32_t>(ctx.packet().byte(1)));
	return q ? XdpAction::Drop : XdpAction::Pass;
}
