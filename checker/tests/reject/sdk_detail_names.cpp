// expect: sdk-internal
// The SDK's internal namespaces, named directly, through a using-directive and an alias.
#include <netext/xdp.hpp>

namespace d = netext::detail;
using namespace netext::detail;

NETEXT_XDP(prog)
{
	constexpr bool lie = netext::detail::noref_impl<uint32_t>();
	return lie ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
