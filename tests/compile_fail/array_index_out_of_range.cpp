// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
NETEXT_MAP(m, Array<MacAddr, 1>);
#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { auto v = m.lookup(0); if (v) v->get<6>() = 1; return XdpAction::Pass; }
#else
NETEXT_XDP(prog) { auto v = m.lookup(0); if (v) v->get<5>() = 1; return XdpAction::Pass; }
#endif
