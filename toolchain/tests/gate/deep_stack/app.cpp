// Within the safe subset, but its worst path needs more stack than a native program has:
// rejected by netext-stack-bound.
#include <netext/xdp.hpp>

#include <array>

using namespace netext;

namespace {

template <uint32_t Depth>
[[gnu::noinline]] uint32_t layer(const PacketView &v, uint32_t i)
{
	std::array<uint8_t, 4096> buf{};
	for (uint32_t k = 0; k < 64; k++)
		buf[(i * 64 + k) & 4095] = static_cast<uint8_t>(v.byte(k) + k);
	uint32_t below = 0;
	if constexpr (Depth > 0)
		below = layer<Depth - 1>(v, buf[i & 4095]);
	return below + buf[(i * 31) & 4095];
}

} // namespace

NETEXT_XDP(deep_stack)
{
	PacketView v = ctx.packet();
	return layer<4>(v, v.size()) == 7 ? XdpAction::Drop : XdpAction::Pass;
}
