// Subscripts the checker can see are in range (constant indices, an index masked below the
// size, an unsigned remainder), netext::array's checked accessors for every other index,
// and range-for.
#include <netext/array.hpp>
#include <netext/xdp.hpp>

#include <array>

using namespace netext;

namespace {
constexpr uint32_t kWeights[8] = {1, 2, 3, 4, 5, 6, 7, 8};
} // namespace

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t n = v.size();
	uint32_t local[4] = {};
	std::array<uint32_t, 16> table{};
	local[0] = kWeights[7];
	local[n & 3] += 1;
	table[n % 16] += kWeights[n & 7];
	table[15] = local[3];
	netext::array<uint32_t, 8> counts{};
	if (Ref<uint32_t> c = counts.at(n))
		*c += 1;
	counts.set(n, 5);
	uint32_t sum = counts.at_or(n + 1, 0) + counts.get<2>();
	for (uint32_t x : table)
		sum += x;
	for (uint32_t w : kWeights)
		sum += w;
	return sum > local[1] ? XdpAction::Pass : XdpAction::Drop;
}
