// expect: division
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/07_div_by_zero.cpp, accepted by netext-check at 64df7b4b56 (11:49 UTC)
// and compiled by the native flags. intub: an integer division by a packet field (0, or INT_MIN /
// -1): x86 raises #DE in softirq -- a kernel oops from one packet (eBPF defines x/0 = 0; natively
// nothing catches it). The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_MAP(rates, Array<uint64_t, 1>);

NETEXT_XDP(div_zero)
{
	PacketView v = ctx.packet();
	int32_t num = 0, den = 0;
	if (!v.load(14, num) || !v.load(18, den))
		return XdpAction::Pass;
	if (Ref<uint64_t> r = rates.lookup(0))
		*r = static_cast<uint64_t>(num / den) + static_cast<uint64_t>(num % den);
	return XdpAction::Pass;
}
