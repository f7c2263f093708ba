// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { XdpContext other = ctx; return other.packet().empty() ? XdpAction::Drop : XdpAction::Pass; }
#else
NETEXT_XDP(prog) { XdpContext &same = ctx; return same.packet().empty() ? XdpAction::Drop : XdpAction::Pass; }
#endif
