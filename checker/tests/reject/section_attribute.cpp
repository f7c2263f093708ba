// expect: global-init linkage-attribute
#include <netext/xdp.hpp>

[[gnu::section(".data.mine"), gnu::used]] static const uint32_t marker = 1;

[[gnu::visibility("default")]] int exported_helper()
{
	return 1;
}

NETEXT_XDP(prog)
{
	return marker ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
