// expect: uninitialized
// flags: -DNETEXT_NATIVE
// Red team (issue 19), padding/08_uninit_member.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. padding: an app struct whose members are only partly
// assigned (reserved, when never set) copied into a map with update(): 12 bytes of stale extension
// stack reach user space. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it
// is set here.
#include <netext/xdp.hpp>
using namespace netext;

struct Route {
	uint32_t ifindex;
	uint32_t reserved;
	uint64_t when;
};
NETEXT_MAP(routes, Array<Route, 1>);

NETEXT_XDP(uninit_member)
{
	Route r;
	r.ifindex = ctx.ingress_ifindex();
	(void)routes.update(0, r); // reserved and when never set
	return XdpAction::Pass;
}
