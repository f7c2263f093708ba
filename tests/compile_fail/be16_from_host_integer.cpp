// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); if (e) e->proto = 0x0800; return XdpAction::Pass; }
#else
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); if (e) e->proto = hton16(0x0800); return XdpAction::Pass; }
#endif
