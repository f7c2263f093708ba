// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
struct Hdr { uint32_t a; uint8_t *next; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { return ctx.packet().get<Hdr>(0) ? XdpAction::Pass : XdpAction::Drop; }
#else
NETEXT_XDP(prog) { return ctx.packet().get<EthHdr>(0) ? XdpAction::Pass : XdpAction::Drop; }
#endif
