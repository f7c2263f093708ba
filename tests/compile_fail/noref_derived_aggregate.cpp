// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A struct whose members are in its base: aggregate initialisation sees one element (the
// base), the members are two. The reflection cannot read such a type field by field and
// refuses it (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

struct Base {
	uint32_t a;
	uint32_t b;
};
#ifdef NETEXT_EXPECT_FAIL
struct Value : Base {};
#else
struct Value {
	Base base;
};
#endif
NETEXT_XDP(prog)
{
	Value x{};
	return ctx.packet().load(0, x) ? XdpAction::Pass : XdpAction::Drop;
}
