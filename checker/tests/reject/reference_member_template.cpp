// expect: reference-member
// The reference field comes from a template argument.
#include <netext/xdp.hpp>

namespace {
template <class T>
struct Box {
	T value;
};
} // namespace

NETEXT_XDP(prog)
{
	uint32_t n = ctx.packet().size();
	Box<uint32_t &> b{n};
	return b.value ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
