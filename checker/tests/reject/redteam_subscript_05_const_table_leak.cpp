// expect: subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), subscript/05_const_table_leak.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. subscript: a constexpr global table (allowed) read
// with a packet-derived index and the result written to the packet: leaks module/kernel .rodata and
// beyond. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
constexpr uint64_t kTable[4] = {1, 2, 3, 4};
}

NETEXT_XDP(table_leak)
{
	PacketView v = ctx.packet();
	uint32_t idx = 0;
	if (!v.load(14, idx))
		return XdpAction::Pass;
	uint64_t leaked = kTable[idx];
	(void)v.store(14, leaked);
	return XdpAction::Tx;
}
