// expect: dangling
// A range-for over what a member function returns from a temporary (before C++23 the
// temporary dies before the loop body runs).
#include <netext/xdp.hpp>

#include <array>

using namespace netext;

namespace {
struct Table {
	std::array<uint32_t, 4> rows{};
	const std::array<uint32_t, 4> &all() const noexcept { return rows; }
};
[[gnu::noinline]] Table make(uint32_t x)
{
	Table t{};
	t.rows[0] = x;
	return t;
}
} // namespace

NETEXT_XDP(prog)
{
	uint32_t sum = 0;
	for (uint32_t r : make(ctx.packet().size()).all())
		sum += r;
	return sum != 0 ? XdpAction::Pass : XdpAction::Drop;
}
