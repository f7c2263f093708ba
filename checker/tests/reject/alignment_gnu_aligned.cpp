// expect: alignment
// GCC's spellings of the same: __attribute__((aligned(N))) on a typedef, on a local, and
// [[gnu::aligned]] on a struct; a template that aligns by its argument.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
typedef uint32_t wide_u32 __attribute__((aligned(256)));

struct [[gnu::aligned(1024)]] Block
{
	uint32_t v = 0;
};

template <unsigned N>
struct alignas(N) Sized {
	uint8_t b = 0;
};
} // namespace

NETEXT_XDP(prog)
{
	wide_u32 w = 1;
	uint16_t x __attribute__((aligned(512))) = 2;
	Block b{};
	Sized<8192> s{};
	ctx.packet().store(0, w + x + b.v + s.b);
	return XdpAction::Pass;
}
