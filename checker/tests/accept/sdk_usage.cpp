// options: --strict-loops
// Ordinary SDK usage: maps, knobs, Ref, PacketView, parsers, lambdas, constexpr tables,
// bounded loops, std::bit_cast and the allowed builtins.
#include <netext/xdp.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

using namespace netext;

struct Counter {
	uint64_t packets;
	uint64_t bytes;
};

NETEXT_MAP(stats, PerCpuArray<Counter, 4>);
NETEXT_CONFIG(uint32_t, threshold, 64);

namespace {

constexpr uint32_t kTable[4] = {1, 2, 3, 4};
constexpr std::array<uint8_t, 3> kBytes{1, 2, 3};

#define CHECKED(x)                                                                                 \
	do {                                                                                       \
		if (!(x))                                                                          \
			return XdpAction::Drop;                                                    \
	} while (0)

template <uint32_t N>
constexpr uint32_t sum_to()
{
	if constexpr (N == 0)
		return 0;
	else
		return N + sum_to<N - 1>();
}

template <typename F>
NETEXT_INLINE uint32_t apply(F &&f, uint32_t v)
{
	return f(v);
}

struct Pair {
	uint16_t a, b;
};

[[gnu::noinline]] uint32_t mix(uint32_t h)
{
	return h ^ (h >> 16);
}

NETEXT_INLINE uint32_t classify(const PacketView &v)
{
	PacketInfo info;
	if (__builtin_expect(parse_packet(v, info) != Parse::Ok, 0))
		return 3;
	return info.l3 == L3::Ipv4 ? 0 : 1;
}

} // namespace

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t slot = classify(v);
	if (Ref<Counter> c = stats.lookup(slot)) {
		c->packets += 1;
		c->bytes += v.size();
	}
	uint32_t acc = 0;
	for (uint32_t i = 0; i < 4; ++i)
		acc += kTable[i & 3] + kTable[i % 4] + kTable[2];
	for (uint32_t x : kTable)
		acc += x;
	for (uint8_t b : kBytes)
		acc += b;
	for (uint32_t off = 0; off < v.size() && off < 64; off += 4) {
		uint32_t w = 0;
		if (!v.load(off, w))
			break;
		acc ^= w;
	}
	uint16_t first = 0;
	CHECKED(v.load(0, first));
	auto twice = [acc](uint32_t x) { return x * 2 + acc; };
	acc = apply(twice, acc) + apply([&acc](uint32_t x) { return x + acc; }, acc) + sum_to<3>() +
	      mix(acc);
	Pair p = std::bit_cast<Pair>(acc);
	acc += static_cast<uint32_t>(p.a) + std::popcount(acc) +
	       std::numeric_limits<uint8_t>::max();
	std::pair<uint32_t, uint32_t> both{acc, threshold};
	(void)both;
	return acc > threshold ? XdpAction::Pass : XdpAction::Drop;
}
