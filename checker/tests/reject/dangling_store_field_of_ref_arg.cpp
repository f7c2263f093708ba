// expect: dangling
// A Ref into a by-value parameter (a copy in the callee's frame) stored into a field of a
// by-reference argument (red team round 2 d18's shape).
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Slots {
	uint32_t n = 0;
	Ref<uint8_t> r;
};

[[gnu::noinline]] void pick(Slots &s, array<uint8_t, 8> bytes)
{
	s.n = 1;
	s.r = bytes.at(2);
}
} // namespace

NETEXT_XDP(prog)
{
	Slots s{};
	array<uint8_t, 8> b{};
	pick(s, b);
	if (s.r)
		*s.r = 9;
	return XdpAction::Pass;
}
