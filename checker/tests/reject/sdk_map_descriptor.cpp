// expect: sdk-internal
// options: --extra-arg=-DNETEXT_NATIVE
// The descriptor NETEXT_MAP generates is named and rebound to another map's (natively:
// the module would bind the wrong map, with the wrong value size).
#include <netext/xdp.hpp>

NETEXT_MAP(small, netext::Array<uint32_t, 1>);
NETEXT_MAP(big, netext::Array<uint64_t, 1024>);

NETEXT_XDP(prog)
{
	netext_map_desc_small = netext_map_desc_big;
	if (netext::Ref<uint32_t> v = small.lookup(0))
		*v += 1;
	return netext::XdpAction::Pass;
}
