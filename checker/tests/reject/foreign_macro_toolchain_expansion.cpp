// expect: foreign-macro
// Toolchain header macros expanded in app code: directly, inside an app macro's body, and
// inside a macro argument. Only the app's own macros, NETEXT_* and the integer limits are
// on the list.
#include <cstddef>
#include <netext/xdp.hpp>
#include <version>
using namespace netext;

#define APP_ID(x)	x
#define APP_STR2(x)	#x
#define APP_STR(x)	APP_STR2(x)
#define APP_LIB_VERSION __cpp_lib_bit_cast

constexpr uint32_t kVersion = APP_LIB_VERSION % 7;
constexpr uint32_t kArg = APP_ID(__cpp_lib_concepts) % 5;
constexpr uint32_t kDirect = __GLIBCXX__ % 3;
constexpr uint32_t kString = sizeof(APP_STR(_GLIBCXX_USE_C99_STDINT_TR1));

NETEXT_XDP(prog)
{
	ctx.packet().store(0, kVersion + kArg + kDirect + kString);
	return XdpAction::Pass;
}
