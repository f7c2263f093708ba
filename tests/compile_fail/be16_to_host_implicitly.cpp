// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); uint16_t p = e ? e->proto : be16{}; return p ? XdpAction::Pass : XdpAction::Drop; }
#else
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); uint16_t p = e ? e->proto.host() : 0; return p ? XdpAction::Pass : XdpAction::Drop; }
#endif
