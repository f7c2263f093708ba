// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// An empty base class: aggregate initialisation counts it as the first element, which
// "{any_field{}}" cannot initialise, so the members after it went unseen (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

struct Tag {};
#ifdef NETEXT_EXPECT_FAIL
struct Header : Tag {
	uint64_t *next;
};
#else
struct Header {
	uint64_t next;
};
#endif
NETEXT_XDP(prog)
{
	Header h{};
	return ctx.packet().load(0, h) ? XdpAction::Pass : XdpAction::Drop;
}
