// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A subscript is checked: in a constant expression an index out of range is an error.
#include <netext/xdp.hpp>

using namespace netext;
constexpr array<uint32_t, 2> kTwo{1, 2};
#ifdef NETEXT_EXPECT_FAIL
static_assert(kTwo[2] == 0);
#else
static_assert(kTwo[1] == 2);
#endif
NETEXT_XDP(prog) { return XdpAction::Pass; }
