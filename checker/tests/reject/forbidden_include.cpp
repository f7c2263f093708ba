// expect: forbidden-include
#include <netext/xdp.hpp>

#include <cstring>

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
