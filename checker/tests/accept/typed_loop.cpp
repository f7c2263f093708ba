// options: --strict-loops
// netext::loop<step>(n, state): a function named as the SDK loop's template argument, with a
// typed state, is the one place a function may be passed (no pointer at run time).
#include <netext/runtime.hpp>
#include <netext/xdp.hpp>

using namespace netext;

namespace {

struct Sum {
	PacketView v;
	uint32_t total;
};

long add_byte(uint64_t index, Sum &s)
{
	int b = s.v.byte(static_cast<uint32_t>(index));
	if (b < 0)
		return 1;
	s.total += static_cast<uint32_t>(b);
	return 0;
}

bool stop_at_zero(uint64_t index, Sum &s)
{
	return s.v.byte(static_cast<uint32_t>(index)) == 0;
}

} // namespace

NETEXT_XDP(prog)
{
	Sum s{ctx.packet(), opaque(0u)};
	uint32_t n = loop<add_byte>(64, s);
	n += netext::loop<stop_at_zero>(16, s);
	return s.total + n > 100 ? XdpAction::Pass : XdpAction::Drop;
}
