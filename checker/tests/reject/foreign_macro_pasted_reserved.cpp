// expect: foreign-macro
// The same split through token pasting: a name pasted from a reserved identifier that is no
// macro for Clang, and one the app pastes onto: g++ may expand what Clang leaves alone.
#include <netext/xdp.hpp>
using namespace netext;

#define APP_CAT2(a, b) a##b
#define APP_CAT(a, b)  APP_CAT2(a, b)

namespace app {
constexpr uint32_t kn__GCC_IEC_559_COMPLEX = 3; // what Clang pastes
constexpr uint32_t kn2 = 0;			// what g++ pastes
constexpr uint32_t k = APP_CAT(kn, __GCC_IEC_559_COMPLEX);
} // namespace app

NETEXT_XDP(prog)
{
	ctx.packet().store(0, app::k);
	return XdpAction::Pass;
}
