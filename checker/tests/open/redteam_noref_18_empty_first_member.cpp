// expect: preprocessor
// flags: -DNETEXT_NATIVE
// Red team (issue 19), noref/18_empty_first_member.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. noref: an empty struct as the first member makes
// the SDK's braced field count 0 ("{any_field{}}" cannot initialise an empty aggregate), so NoRef
// is true without one field inspected; a std::initializer_list (pointer + length) copied out of the
// packet by v.load() then walks any kernel range, copied back into the packet. The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

struct Empty {};
struct Innocent {
	Empty tag;
	std::initializer_list<uint64_t> words; // pointer and length, straight from the packet
};
static_assert(NoRef<Innocent>);

NETEXT_XDP(empty_first)
{
	PacketView v = ctx.packet();
	Innocent in{};
	if (!v.load(14, in))
		return XdpAction::Pass;
	uint64_t acc = 0;
	for (uint64_t w : in.words) // reads in.words.size() words at a packet-chosen address
		acc ^= w;
	(void)v.store(14, acc);
	return XdpAction::Tx;
}
