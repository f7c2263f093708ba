// expect: foreign-macro
// Reserved names that are no macro for Clang but that g++ or libstdc++ defines, reaching a
// stringified argument through a second macro (red team round 2 p01/p05): the string, and
// so every size computed from it, differs between the checker and the native build.
#include <netext/xdp.hpp>
#include <version>
using namespace netext;

#define APP_STR2(x) #x
#define APP_STR(x)  APP_STR2(x)

constexpr uint32_t kA = sizeof(APP_STR(__ATOMIC_HLE_ACQUIRE));
constexpr uint32_t kB = sizeof(APP_STR(__cpp_lib_is_pointer_interconvertible));
constexpr uint32_t kC = sizeof(APP_STR(__DBL_IS_IEC_60559__));

NETEXT_XDP(prog)
{
	ctx.packet().store(0, kA + kB + kC);
	return XdpAction::Pass;
}
