// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
#ifdef NETEXT_EXPECT_FAIL
struct Hdr { uint16_t a; uint64_t b; };
#else
struct Hdr { uint16_t a; array<uint8_t, 6> pad; uint64_t b; };
#endif
NETEXT_XDP(prog) { Hdr h{}; ctx.packet().store(0, h); return XdpAction::Pass; }
