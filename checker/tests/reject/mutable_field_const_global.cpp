// expect: global-init mutable-global
// A const global is immutable only without `mutable` members: this one counts packets.
#include <netext/xdp.hpp>

namespace {
struct Tally {
	mutable uint32_t seen = 0;
	void bump() const { ++seen; }
};
struct Wrapper {
	Tally inner[2];
};
const Wrapper totals{};
} // namespace

NETEXT_XDP(prog)
{
	totals.inner[0].bump();
	return netext::XdpAction::Pass;
}
