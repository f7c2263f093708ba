// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// try_lock on a packet word (issue 19, the class of intub_08): natively a locked cmpxchg
// in netext.ko on whatever address the packet gives, maybe across a cache line. The lock
// word is an Atomic<uint32_t>, in a map value only.
#include <netext/xdp.hpp>
using namespace netext;

struct Slot {
	Atomic<uint32_t> lock;
	uint32_t value;
};
NETEXT_MAP(slots, Array<Slot, 4>);

NETEXT_XDP(prog)
{
#ifdef NETEXT_EXPECT_FAIL
	Ref<uint32_t> w = ctx.packet().get<uint32_t>(63);
	if (w && try_lock(*w))
		unlock(*w);
#else
	Ref<Slot> s = slots.lookup(0);
	if (s && try_lock(s->lock))
		unlock(s->lock);
#endif
	return XdpAction::Pass;
}
