// expect: reference-member dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), lifetime/08_structured_binding_temp.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. lifetime: structured bindings of a
// struct of references returned by value, whose references point into the callee's dead frame. The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Pair {
	const uint64_t &first;
	const uint64_t &second;
};
[[gnu::noinline]] Pair split(uint64_t x)
{
	uint64_t hi = x >> 32, lo = x & 0xffffffff;
	return Pair{hi, lo};
}
} // namespace

NETEXT_XDP(sb_dangle)
{
	PacketView v = ctx.packet();
	uint64_t x = 0;
	if (!v.load(14, x))
		return XdpAction::Pass;
	auto [hi, lo] = split(x);
	(void)v.store(14, hi + lo);
	return XdpAction::Tx;
}
