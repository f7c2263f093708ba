// expect: compiler-macro generic-code
// flags: -DNETEXT_NATIVE
// Red team round 2 (issue 19): __LINE__ expanded inside a macro invocation that spans lines: g++-12 gives the line of
// the macro name, clang-16 the line of the closing parenthesis. kD = L(...) - 9: the checker (clang) sees
// 11 - 9 = 2, a non-zero constant divisor; g++ sees 9 - 9 = 0 and emits ud2 for the whole program (#UD:
// kernel oops on the first packet). No compiler macro, no #if: __LINE__ is standard and the checker allows it.
#include <netext/xdp.hpp>
using namespace netext;
#define L(x) __LINE__
template <uint32_t D> uint32_t dv(uint32_t x) { return x / D; } // in a template: no -Wdiv-by-zero
constexpr uint32_t kD = L(
0
) - 9;
NETEXT_XDP(p08) { uint32_t x = ctx.packet().size(); uint32_t r = dv<kD>(x); ctx.packet().store(0, r); return XdpAction::Pass; }
