// expect: external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/05_extern_block_spinlock.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. outside: netext.ko's netext_spin_lock declared by
// the app in an extern "C" block with an integer parameter (it is on the stack bound's helper
// list): locks (writes) any kernel address from the packet. The native gate passes -DNETEXT_NATIVE;
// the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

extern "C" {
void netext_spin_lock(unsigned long lock);
void netext_spin_unlock(unsigned long lock);
}

NETEXT_XDP(extern_lock)
{
	PacketView v = ctx.packet();
	uint64_t addr = 0;
	if (!v.load(14, addr))
		return XdpAction::Pass;
	netext_spin_lock(addr);
	netext_spin_unlock(addr);
	return XdpAction::Pass;
}
