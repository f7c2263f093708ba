// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_TC(prog) { return XdpAction::Pass; }
#else
NETEXT_TC(prog) { return TcAction::Ok; }
#endif
