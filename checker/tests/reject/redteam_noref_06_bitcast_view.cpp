// expect: bit-cast dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), noref/06_bitcast_view.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. noref: std::bit_cast of two packet words into a
// std::initializer_list<uint8_t> (the allowed headers' trivially copyable pointer holder;
// Ref/PacketView no longer are): a range over any kernel address, copied into a map user space
// reads. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <bit>
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

struct TwoWords {
	uint64_t begin, len;
};
NETEXT_MAP(loot, Array<uint64_t, 64>);

NETEXT_XDP(bitcast_range)
{
	TwoWords w{};
	if (!ctx.packet().load(14, w))
		return XdpAction::Pass;
	auto range = std::bit_cast<std::initializer_list<uint8_t>>(w);
	uint32_t i = 0;
	for (uint8_t b : range)
		(void)loot.update(i++ & 63, uint64_t{b});
	return XdpAction::Pass;
}
