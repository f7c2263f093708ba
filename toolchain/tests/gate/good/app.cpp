// Passes the gate: counts packets per CPU.
#include <netext/xdp.hpp>

using namespace netext;

NETEXT_MAP(good_count, PerCpuArray<uint64_t, 1>);

NETEXT_XDP(good)
{
	if (Ref<uint64_t> c = good_count.lookup(0))
		*c += 1;
	return XdpAction::Pass;
}
