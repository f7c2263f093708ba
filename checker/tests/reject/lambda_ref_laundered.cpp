// expect: lambda-capture
// Passed "straight to a call" whose result carries the lambda away: an identity template
// and std::move.
#include <netext/xdp.hpp>

#include <utility>

namespace {
template <class F>
F keep(F f)
{
	return f;
}
} // namespace

NETEXT_XDP(prog)
{
	uint32_t n = ctx.packet().size();
	auto kept = keep([&n]() { return n; });
	auto &&moved = std::move([&n]() { return n + 1; });
	return kept() + moved() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
