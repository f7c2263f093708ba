// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), intub/05_enum_out_of_range.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. intub: an enum with a fixed underlying type loaded
// from the packet (any value, not just the enumerators) used to index a per-enumerator table: 256
// entries past a 4-entry table. The native gate passes -DNETEXT_NATIVE; the corpus runs without it,
// so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

enum class Kind : uint8_t { A, B, C, D };

NETEXT_XDP(enum_index)
{
	PacketView v = ctx.packet();
	Kind k{};
	if (!v.load(14, k))
		return XdpAction::Pass;
	uint64_t per_kind[4] = {};
	per_kind[static_cast<uint8_t>(k)] += 1;
	(void)v.store(0, per_kind[0]);
	return XdpAction::Pass;
}
