// expect: dangling
// proposed: dangling-ref-out-param d14's hole through a struct field: mk(Out&) stores a Ref to its local
// netext::array<uint8_t,16> into o.r; the caller writes through it into mk()'s dead frame below its stack
// pointer. Harmful variants: d17 (leak), d19 (return-address overwrite).
#include <netext/xdp.hpp>
using namespace netext;
struct Out { Ref<uint8_t> r; };
[[gnu::noinline]] void mk(Out &o) { array<uint8_t, 16> a{}; o.r = a.at(3); }
NETEXT_XDP(d18) { Out o{}; mk(o); if (o.r) *o.r = 9; return XdpAction::Pass; }
