// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { return TcAction::Ok; }
#else
NETEXT_XDP(prog) { return XdpAction::Pass; }
#endif
