// expect: exceptions
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	try {
		throw 1;
	} catch (int) {
	}
	return netext::XdpAction::Pass;
}
