// expect: lambda-capture
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/04_lambda_escape.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. lifetime: a lambda capturing a local by reference is
// returned from its function and called after that frame is gone: it writes packet data into a dead
// stack slot that later frames reuse (extension-stack corruption). The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] auto make_writer(uint64_t seed)
{
	uint64_t slot = seed;
	return [&slot](uint64_t v) { slot = v; };
}
[[gnu::noinline]] uint64_t victim(uint64_t x)
{
	uint64_t local[4] = {x, x, x, x};
	return local[0] + local[3];
}
} // namespace

NETEXT_XDP(lambda_escape)
{
	PacketView v = ctx.packet();
	uint64_t val = 0;
	if (!v.load(14, val))
		return XdpAction::Pass;
	auto w = make_writer(1);
	w(val);
	(void)v.store(14, victim(2));
	return XdpAction::Pass;
}
