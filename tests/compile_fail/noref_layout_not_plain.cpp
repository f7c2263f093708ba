// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// The reflected fields must account for the whole type, laid out as a plain struct: an
// alignas member leaves bytes (and an alignment) no field explains, so the type is
// refused rather than trusted on a partial view (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
struct Value {
	uint32_t a;
	alignas(16) uint32_t b;
};
#else
struct Value {
	uint32_t a;
	uint32_t b;
};
#endif
NETEXT_XDP(prog)
{
	Value x{};
	return ctx.packet().load(0, x) ? XdpAction::Pass : XdpAction::Drop;
}
