// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A scan of 8192 bytes was masked with 8191 on eBPF: 0 bytes scanned.
#include <netext/xdp.hpp>

using namespace netext;
struct IsNl { static constexpr bool match(uint8_t b) noexcept { return b == '\n'; } };
#ifdef NETEXT_EXPECT_FAIL
constexpr uint32_t kScan = 8192;
#else
constexpr uint32_t kScan = 8191;
#endif
NETEXT_XDP(prog)
{
	return ctx.packet().scan<IsNl, kScan>(0, 100) < 100 ? XdpAction::Drop : XdpAction::Pass;
}
