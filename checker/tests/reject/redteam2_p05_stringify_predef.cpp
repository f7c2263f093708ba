// expect: foreign-macro generic-code
// proposed: compiler-macro-stringify S1(__GCC_IEC_559): a g++-only predefined macro ("2": 2 bytes), undefined in
// clang (the name: 14 bytes). Checker sees kD = 12 (non-zero constant divisor), g++ kD = 0: natively g++ emits ud2 (#UD, kernel oops) for the provable x/0 (or #DE).
#include <netext/xdp.hpp>
using namespace netext;
#define S2(x) #x
#define S1(x) S2(x)
constexpr uint32_t kD = sizeof(S1(__GCC_IEC_559)) - 2;
template <uint32_t D> uint32_t dv(uint32_t x) { return x / D; } // in a template: no -Wdiv-by-zero
NETEXT_XDP(p05) { uint32_t x = ctx.packet().size(); uint32_t r = dv<kD>(x); ctx.packet().store(0, r); return XdpAction::Pass; }
