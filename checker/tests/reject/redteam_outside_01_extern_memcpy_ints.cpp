// expect: external-declaration
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/01_extern_memcpy_ints.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. outside: the app declares memcpy itself with
// integer parameters (extern "C", no pointer spelled, no __builtin_ name) and calls it with
// packet-chosen addresses: arbitrary kernel copy; memcpy is on the stack bound's allowed call list.
// The native gate passes -DNETEXT_NATIVE; so does this case (the flags line).
#include <netext/xdp.hpp>
using namespace netext;

extern "C" unsigned long memcpy(unsigned long dst, unsigned long src, unsigned long n);

NETEXT_XDP(extern_memcpy)
{
	PacketView v = ctx.packet();
	array<uint64_t, 3> args{};
	if (!v.load(14, args))
		return XdpAction::Pass;
	memcpy(args.at_or(0, 0), args.at_or(1, 0), args.at_or(2, 0) & 0xfff);
	return XdpAction::Pass;
}
