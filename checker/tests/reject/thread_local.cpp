// expect: thread-local
#include <netext/xdp.hpp>

thread_local uint32_t per_thread;

NETEXT_XDP(prog)
{
	return per_thread ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
