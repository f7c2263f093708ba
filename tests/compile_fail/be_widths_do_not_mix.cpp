// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { be16 a = be32::from_host(1); (void)a; return XdpAction::Pass; }
#else
NETEXT_XDP(prog) { be16 a = be16::from_host(1); (void)a; return XdpAction::Pass; }
#endif
