// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// An empty member after a counted one: the field count stopped at it, and the pointer
// after it went unseen (issue 19, the class of noref_18).
#include <netext/xdp.hpp>
using namespace netext;

struct Empty {};
#ifdef NETEXT_EXPECT_FAIL
struct Value {
	uint64_t a;
	Empty e;
	const uint8_t *p;
};
#else
struct Value {
	uint64_t a;
	uint64_t p;
};
#endif
NETEXT_MAP(m, Array<Value, 1>);
NETEXT_XDP(prog)
{
	return m.lookup(0) ? XdpAction::Pass : XdpAction::Drop;
}
