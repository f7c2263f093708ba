// Alignment up to a cache line is a layout choice (the frame realigned by at most 56
// bytes, which the stack bound counts).
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct alignas(64) Line {
	uint32_t v = 0;
};

typedef uint32_t u32_16 __attribute__((aligned(16)));
} // namespace

NETEXT_XDP(prog)
{
	Line l{};
	u32_16 w = 1;
	alignas(32) uint8_t buf[8] = {};
	ctx.packet().store(0, l.v + w + buf[1]);
	return XdpAction::Pass;
}
