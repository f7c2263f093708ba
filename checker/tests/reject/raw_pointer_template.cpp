// expect: raw-pointer
// The pointer only exists in an instantiation: T is deduced as const char *.
#include <netext/xdp.hpp>

template <typename T>
static bool nonzero(T v)
{
	return v != T{};
}

NETEXT_XDP(prog)
{
	return nonzero("abc") ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
