// expect: global-init
// flags: -DNETEXT_NATIVE
// Red team round 2 (issue 19): k is a `const` global whose initialiser clang constant-evaluates
// (1,000,000 steps < clang's limit) but g++-12 gives up on (-fconstexpr-loop-limit=262144) and
// silently emits a dynamic initialiser instead (k in .bss, a _GLOBAL__sub_I in .init_array; verified with -S
// and the gate's flags, no warning). netext app modules run no C++ static constructors (kmod/README.md), so
// natively k == 0 and `x / k` is `divl 0` -> #DE in softirq; the checker sees the constant 1000000.
#include <netext/xdp.hpp>
using namespace netext;
constexpr uint32_t slow() { uint32_t n = 0; for (uint32_t i = 0; i < 1000000; ++i) n += 1; return n; }
const uint32_t k = slow();
NETEXT_XDP(v07) { uint32_t x = ctx.packet().size(); uint32_t r = x / k; ctx.packet().store(0, r); return XdpAction::Pass; }
