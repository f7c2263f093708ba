// expect: dangling
// proposed: dangling-ref-out-param mk() assigns a Ref into its own local netext::array to the caller's Ref through a
// Ref& parameter; the `dangling` rule checks returns and temporaries, not stores through out-parameters.
// The caller then writes the packet size through the Ref into mk()'s dead frame, below its stack pointer
// (the bytes the next call or an interrupt on the extension stack uses); d17 shows the read side leaking a
// kernel pointer. Rule: a Ref/view/reference may be stored only into an object that does not outlive its referent.
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] void mk(Ref<uint32_t> &out) { array<uint32_t, 4> a{}; out = a.at(0); }
NETEXT_XDP(d14) { Ref<uint32_t> r; mk(r); if (r) *r = ctx.packet().size(); return XdpAction::Pass; }
