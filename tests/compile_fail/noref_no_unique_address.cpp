// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// [[no_unique_address]] on an empty member: it takes no byte, the count stops at it and
// the pointer after it went unseen (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

struct Empty {};
#ifdef NETEXT_EXPECT_FAIL
struct Value {
	uint32_t a;
	[[no_unique_address]] Empty e;
	uint32_t *p;
};
#else
struct Value {
	uint32_t a;
	uint32_t p;
};
#endif
NETEXT_XDP(prog)
{
	Value x{};
	return ctx.packet().load(0, x) ? XdpAction::Pass : XdpAction::Drop;
}
