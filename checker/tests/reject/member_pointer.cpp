// expect: function-pointer indirect-call
#include <netext/xdp.hpp>

struct S {
	bool ok() const { return true; }
};

NETEXT_XDP(prog)
{
	S s;
	auto m = &S::ok;
	return (s.*m)() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
