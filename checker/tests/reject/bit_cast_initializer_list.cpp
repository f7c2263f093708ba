// expect: bit-cast dangling generic-code
// std::bit_cast into a type that holds a pointer forges it (an initializer_list over any
// address); out of one leaks a stack address.
#include <netext/xdp.hpp>

#include <bit>
#include <initializer_list>

namespace {
struct Words {
	uint64_t a;
	uint64_t b;
};

template <class To, class From>
To reinterpret(const From &f)
{
	return std::bit_cast<To>(f);
}
} // namespace

NETEXT_XDP(prog)
{
	uint32_t sum = 0;
	auto forged = std::bit_cast<std::initializer_list<uint8_t>>(Words{0xffffffff81000000, 64});
	for (uint8_t b : forged)
		sum += b;
	std::initializer_list<uint8_t> real{1, 2, 3};
	Words leak = reinterpret<Words>(real);
	return sum + leak.a ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
