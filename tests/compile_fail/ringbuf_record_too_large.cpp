// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A ring buffer record larger than the buffer, its size checked in 64 bits (issue 19, the
// sizewrap class). eBPF and host only: the native backend has no ring buffer yet.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Record = array<uint8_t, (1ull << 32) + 8>;
#else
using Record = array<uint8_t, 8>;
#endif
NETEXT_MAP(events, RingBuf<4096>);
namespace {
int emit(const Record &r)
{
	return events.output(r);
}
} // namespace
NETEXT_XDP(prog)
{
	(void)&emit;
	return XdpAction::Pass;
}
