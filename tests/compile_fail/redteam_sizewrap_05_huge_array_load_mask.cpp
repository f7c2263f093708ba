// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sizewrap/05_huge_array_load_mask.cpp (was checker/tests/open/): a
// truncated-size Ref to a 2^32 + 64 byte array (from v.get) used with
// array::load<uint64_t, 0xffffffff>: every check of the array's own held in 64 bits, the
// read went 4 GiB past the packet. Refused where the Ref is made (get's 64-bit size).
#include <netext/xdp.hpp>
using namespace netext;

#ifdef NETEXT_EXPECT_FAIL
using Big = array<uint8_t, (1ull << 32) + 64>;
constexpr uint32_t kMask = 0xffffffffu;
#else
using Big = array<uint8_t, 64>;
constexpr uint32_t kMask = 31;
#endif

NETEXT_XDP(huge_load)
{
	PacketView v = ctx.packet();
	uint32_t off = 0;
	if (!v.load(14, off))
		return XdpAction::Pass;
	if (Ref<Big> b = v.get<Big>(0)) {
		uint64_t leaked = 0;
		if (b->load<uint64_t, kMask>(off, leaked))
			(void)v.store(14, leaked);
	}
	return XdpAction::Tx;
}
