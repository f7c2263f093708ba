// expect: raw-pointer
// A pointer behind a `using` alias, a typedef and std::add_pointer_t.
#include <netext/xdp.hpp>

#include <type_traits>

using P = int *;

static int sum(std::add_pointer_t<const int> a, P b)
{
	return a == b;
}

NETEXT_XDP(prog)
{
	return sum(nullptr, nullptr) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
