// expect: dynamic-alloc subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/13_vla.cpp, accepted by netext-check at 64df7b4b56 (11:49 UTC) and
// compiled by the native flags. misc: a variable-length array sized by a packet field (GNU
// extension in C++): the stack pointer moves by an attacker-chosen amount, past the guard page of
// the extension stack. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(vla)
{
	PacketView v = ctx.packet();
	uint32_t n = 0;
	if (!v.load(14, n))
		return XdpAction::Pass;
	uint8_t buf[n];
	buf[n - 1] = 1;
	(void)v.store(0, buf[n / 2]);
	return XdpAction::Pass;
}
