// expect: lambda-capture
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/12_lambda_init_capture_ref.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. lifetime: a lambda with an init-capture
// by reference to a temporary array ([&a = tmp]) stored in a local and called later: writes into
// the dead temporary's stack slot. The native gate passes -DNETEXT_NATIVE; the corpus runs without
// it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] array<uint64_t, 4> fresh()
{
	return {};
}
} // namespace

NETEXT_XDP(init_capture)
{
	PacketView v = ctx.packet();
	uint64_t val = 0;
	if (!v.load(14, val))
		return XdpAction::Pass;
	const auto &tmp = fresh();
	auto w = [&t = tmp](uint64_t x) { return t.at_or(static_cast<std::size_t>(x & 3), 0); };
	(void)v.store(14, w(val));
	return XdpAction::Tx;
}
