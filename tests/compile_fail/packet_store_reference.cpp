// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { int x = 0; int &r = x; ctx.packet().store<int &>(0, r); return XdpAction::Pass; }
#else
NETEXT_XDP(prog) { int x = 0; ctx.packet().store<int>(0, x); return XdpAction::Pass; }
#endif
