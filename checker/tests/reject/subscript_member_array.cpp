// expect: subscript
// An array member of a struct, indexed by a variable through a helper.
#include <netext/xdp.hpp>

namespace {
struct Table {
	uint32_t slots[4];
};

uint32_t pick(const Table &t, uint32_t i)
{
	return t.slots[i];
}
} // namespace

NETEXT_XDP(prog)
{
	Table t{};
	return pick(t, ctx.packet().size()) ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
