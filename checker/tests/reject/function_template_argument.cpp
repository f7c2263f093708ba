// expect: function-pointer
// A function as a template argument is allowed only for netext::loop: an app's own template
// could hand it on as a pointer.
#include <netext/xdp.hpp>

namespace {

bool yes()
{
	return true;
}

template <auto F>
bool call()
{
	return F();
}

} // namespace

NETEXT_XDP(prog)
{
	return call<yes>() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
