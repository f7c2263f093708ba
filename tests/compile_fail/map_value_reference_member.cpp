// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A reference member: Boost.PFR reported the referent type, so this passed as NoRef.
#include <netext/xdp.hpp>

using namespace netext;
struct WithRef { uint32_t a; const uint32_t &r; };
struct Plain { uint32_t a; uint32_t b; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_XDP(prog) { uint32_t x = 0; WithRef w{1, x}; ctx.packet().store(0, w); return XdpAction::Pass; }
#else
NETEXT_XDP(prog) { Plain w{1, 2}; ctx.packet().store(0, w); return XdpAction::Pass; }
#endif
