// expect: reference-member
// A reference field: reflection (NoRef) sees the referent's type, and the object outlives
// the local it refers to.
#include <netext/xdp.hpp>

namespace {
struct Header {
	uint32_t &len;
	uint32_t flags;
};
} // namespace

NETEXT_XDP(prog)
{
	uint32_t n = ctx.packet().size();
	Header h{n, 0};
	return h.len ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
