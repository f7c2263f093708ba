// expect: alignment
// alignas beyond a cache line on a struct, a local and a field (red team round 2 x01): g++
// realigns the frame on the kernel's 8-byte-aligned stack, moving the stack pointer down
// by up to the alignment.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct alignas(4096) Page {
	uint8_t b[64] = {};
};

struct Holder {
	alignas(128) uint32_t x = 0;
};
} // namespace

NETEXT_XDP(prog)
{
	Page p{};
	alignas(65536) uint8_t buf[16] = {};
	Holder h{};
	ctx.packet().store(0, static_cast<uint32_t>(p.b[1] + buf[2]) + h.x);
	return XdpAction::Pass;
}
