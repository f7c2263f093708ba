// expect: padding
// Every field initialised, but std::bit_cast copies the three padding bytes after `a` too:
// nothing initialises padding.
#include <bit>
#include <netext/xdp.hpp>
using namespace netext;

struct Rec {
	uint8_t a;
	uint32_t b;
};

NETEXT_XDP(prog)
{
	Rec r{1, 2};
	auto bytes = std::bit_cast<array<uint8_t, sizeof(Rec)>>(r);
	(void)ctx.packet().store(14, bytes);
	return XdpAction::Tx;
}
