// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/08_split_lock_atomic.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. intub: netext::atomic_fetch_add on a Ref<uint64_t>
// into the packet at an offset straddling a cache line: a locked split access, which kernels with
// split-lock detection turn into die() in kernel mode (the eBPF verifier refuses atomics on packet
// memory). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(split_lock)
{
	PacketView v = ctx.packet();
	uint8_t off = 0;
	if (!v.load(14, off))
		return XdpAction::Pass;
	if (Ref<uint64_t> w = v.get<uint64_t>(off | 0x3c)) // 60..63 within a 64-byte line
		(void)atomic_fetch_add(*w, uint64_t{1});
	return XdpAction::Pass;
}
