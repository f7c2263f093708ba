// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); return e && e->proto == 0x0800 ? XdpAction::Pass : XdpAction::Drop; }
#else
NETEXT_XDP(prog) { auto e = ctx.packet().get<EthHdr>(0); return e && e->proto == ethertype::Ipv4 ? XdpAction::Pass : XdpAction::Drop; }
#endif
