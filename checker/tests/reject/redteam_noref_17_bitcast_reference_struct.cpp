// expect: bit-cast reference-member
// flags: -DNETEXT_NATIVE
// Red team (issue 19), noref/17_bitcast_reference_struct.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. noref: std::bit_cast of a packet word
// into a struct whose only member is an rvalue reference (trivially copyable, and NoRef): a forged
// reference to any kernel address, written through; no Ref or view involved. The native gate passes
// -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <bit>
#include <netext/xdp.hpp>
using namespace netext;

struct Alias {
	uint64_t &&target;
};

NETEXT_XDP(bitcast_refstruct)
{
	PacketView v = ctx.packet();
	uint64_t addr = 0, val = 0;
	if (!v.load(14, addr) || !v.load(22, val))
		return XdpAction::Pass;
	Alias a = std::bit_cast<Alias>(addr);
	a.target = val;
	return XdpAction::Pass;
}
