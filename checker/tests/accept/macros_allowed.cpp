// Macros app code may expand: its own (also stringifying and pasting its own names), the
// SDK's NETEXT_ ones, and the integer limits of <cstdint>/<climits>.
#include <climits>
#include <cstdint>
#include <netext/xdp.hpp>
using namespace netext;

#define APP_STR2(x)    #x
#define APP_STR(x)     APP_STR2(x)
#define APP_CAT2(a, b) a##b
#define APP_CAT(a, b)  APP_CAT2(a, b)
#define APP_WIDTH      4

namespace app {
constexpr uint32_t kName = sizeof(APP_STR(APP_WIDTH)); // "4"
constexpr uint32_t width_4 = 7;
constexpr uint32_t kPasted = APP_CAT(width_, APP_WIDTH);
constexpr uint64_t kMax = UINT64_MAX >> 60;
constexpr uint32_t kInt = INT_MAX >> 28;
constexpr uint32_t kC = UINT32_C(5);
} // namespace app

NETEXT_XDP(prog)
{
	ctx.packet().store(0, app::kName + app::kPasted + static_cast<uint32_t>(app::kMax) +
				      app::kInt + app::kC);
	return XdpAction::Pass;
}
