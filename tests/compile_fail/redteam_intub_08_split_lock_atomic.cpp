// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), intub/08_split_lock_atomic.cpp (was checker/tests/open/):
// netext::atomic_fetch_add on a Ref<uint64_t> into the packet at an offset straddling a
// cache line: a locked split access, which kernels with split-lock detection turn into a
// die() in kernel mode (the eBPF verifier refuses atomics on packet memory). The atomics
// take only netext::Atomic<T>, which no Ref into the packet can be to.
#include <netext/xdp.hpp>
using namespace netext;

struct Stats {
	Atomic<uint64_t> packets;
};
NETEXT_MAP(stats, Array<Stats, 1>);

NETEXT_XDP(split_lock)
{
	PacketView v = ctx.packet();
	uint8_t off = 0;
	if (!v.load(14, off))
		return XdpAction::Pass;
#ifdef NETEXT_EXPECT_FAIL
	if (Ref<uint64_t> w = v.get<uint64_t>(off | 0x3c)) // 60..63 within a 64-byte line
		(void)atomic_fetch_add(*w, uint64_t{1});
#else
	if (Ref<Stats> s = stats.lookup(0))
		(void)atomic_fetch_add(s->packets, 1);
#endif
	return XdpAction::Pass;
}
