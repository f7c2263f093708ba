// expect: dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/07_initializer_list_escape.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. lifetime: a function returns a
// std::initializer_list whose backing array was its local: the caller iterates a dead stack array
// (stale extension-stack bytes into the packet). The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

namespace {
[[gnu::noinline]] std::initializer_list<uint64_t> defaults(uint64_t x)
{
	return {x, x + 1, x + 2, x + 3};
}
} // namespace

NETEXT_XDP(il_escape)
{
	PacketView v = ctx.packet();
	uint64_t sum = 0;
	for (uint64_t d : defaults(7))
		sum += d;
	(void)v.store(14, sum);
	return XdpAction::Tx;
}
