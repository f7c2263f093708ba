// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// An Atomic word asked for in the packet (issue 19, the class of intub_08): PacketView::get
// takes only PacketType, which holds no netext::Atomic; atomics act on map values only.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(prog)
{
#ifdef NETEXT_EXPECT_FAIL
	if (Ref<Atomic<uint32_t>> w = ctx.packet().get<Atomic<uint32_t>>(61))
		(void)atomic_cmpxchg(*w, 0u, 1u);
#else
	if (Ref<uint32_t> w = ctx.packet().get<uint32_t>(61))
		*w = 1;
#endif
	return XdpAction::Pass;
}
