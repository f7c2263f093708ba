// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// The empty-member evasion one level down: the outer struct is counted right, its member
// is the one whose count stopped at an empty first member (issue 19).
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

struct Empty {};
#ifdef NETEXT_EXPECT_FAIL
struct Inner {
	Empty tag;
	std::initializer_list<uint8_t> bytes;
};
#else
struct Inner {
	uint16_t tag;
	uint16_t bytes;
};
#endif
struct Outer {
	uint32_t x;
	Inner in;
};
NETEXT_MAP(m, Hash<uint32_t, Outer, 4>);
NETEXT_XDP(prog)
{
	return m.lookup(1) ? XdpAction::Pass : XdpAction::Drop;
}
