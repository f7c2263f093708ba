// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A map type of the app's own that changes nothing (derived from an SDK map): refused all
// the same. NETEXT_MAP takes the SDK's templates exactly, so no app type can stand between
// the declaration and what netext.ko checks at bind time (issue 19).
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
struct Counters : PerCpuArray<uint64_t, 4> {};
NETEXT_MAP(counters, Counters);
#else
using Counters = PerCpuArray<uint64_t, 4>; // an alias is the SDK's type itself
NETEXT_MAP(counters, Counters);
#endif

NETEXT_XDP(prog)
{
	return counters.lookup(0) ? XdpAction::Pass : XdpAction::Drop;
}
