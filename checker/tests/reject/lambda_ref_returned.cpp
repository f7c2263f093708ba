// expect: lambda-capture
// A lambda capturing a local by reference returned out of its frame.
#include <netext/xdp.hpp>

namespace {
auto make_reader(uint32_t seed)
{
	uint32_t local = seed * 3;
	return [&local]() { return local; };
}
} // namespace

NETEXT_XDP(prog)
{
	return make_reader(ctx.packet().size())() ? netext::XdpAction::Pass
						  : netext::XdpAction::Drop;
}
