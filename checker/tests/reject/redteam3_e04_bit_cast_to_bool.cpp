// expect: bit-cast
// flags: -DNETEXT_NATIVE
// Red team round 3, e04: a packet byte bit_cast into a bool (2 to 255 is no bool; g++ assumes
// 0 or 1) indexes a 2-entry table, and g++ drops netext::array's range check: an unchecked
// stack read copied into the packet. bit_cast may not make a type not every bit pattern of
// which is a value.
#include <netext/xdp.hpp>
using namespace netext;

struct Flags {
	uint8_t kind;
	bool on;
};

NETEXT_XDP(bool_cast)
{
	uint8_t raw = static_cast<uint8_t>(ctx.packet().byte(0));
	bool b = std::bit_cast<bool>(raw);
	netext::array<uint64_t, 2> t{1, 2};
	uint64_t v = t[b];
	(void)ctx.packet().store(8, v);
	uint16_t two = static_cast<uint16_t>(ctx.packet().byte(1));
	Flags f = std::bit_cast<Flags>(two);
	return f.on ? XdpAction::Drop : XdpAction::Pass;
}
