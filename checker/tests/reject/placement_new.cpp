// expect: dynamic-alloc external-declaration raw-pointer
// Placement new through an operator overload the app declares.
#include <netext/xdp.hpp>

#include <cstddef>

struct Slot {
	uint8_t bytes[8];
};
void *operator new(std::size_t, Slot &s) noexcept;

NETEXT_XDP(prog)
{
	Slot s{};
	auto &v = *new (s) uint64_t(7);
	return v ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
