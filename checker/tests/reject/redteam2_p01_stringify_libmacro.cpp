// expect: foreign-macro generic-code
// proposed: compiler-macro-stringify S1(__cpp_lib_is_layout_compatible): g++-12's libstdc++ defines the macro
// (201907L: an 8-byte string), clang-16's build of the same header does not (needs
// __has_builtin(__is_layout_compatible)), so the name stays (32 bytes). The checker (clang) sees the
// divisor kD = 24, a non-zero constant; g++ computes kD = 0, and for the provable x/0 emits ud2 as the
// whole program (#UD: kernel oops on the first packet; no warning, the division sits in a template). The app names no compiler macro in #if; the name
// only appears as a macro argument that is stringified.
#include <version>
#include <netext/xdp.hpp>
using namespace netext;
#define S2(x) #x
#define S1(x) S2(x)
constexpr uint32_t kD = sizeof(S1(__cpp_lib_is_layout_compatible)) - 8;
template <uint32_t D> uint32_t dv(uint32_t x) { return x / D; } // in a template: no -Wdiv-by-zero
NETEXT_XDP(p01) { uint32_t x = ctx.packet().size(); uint32_t r = dv<kD>(x); ctx.packet().store(0, r); return XdpAction::Pass; }
