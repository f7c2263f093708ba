// expect: not-allowed dangling
// The compiler's own bit cast, spelled directly, is not on the allow-list.
#include <netext/xdp.hpp>

#include <initializer_list>

namespace {
struct Words {
	uint64_t a;
	uint64_t b;
};
} // namespace

NETEXT_XDP(prog)
{
	auto forged = __builtin_bit_cast(std::initializer_list<uint8_t>, Words{4096, 8});
	return forged.size() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
