// expect: not-allowed dangling
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/24_builtin_bit_cast.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: __builtin_bit_cast (a keyword-like builtin, not a
// call) of two packet words into a std::initializer_list<uint64_t> (trivially copyable: a pointer
// and a length): iterating it reads any kernel range, sent back in the packet. The native gate
// passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

struct Words {
	uint64_t addr, len;
};

NETEXT_XDP(builtin_bitcast)
{
	Words w{};
	if (!ctx.packet().load(14, w))
		return XdpAction::Pass;
	auto forged = __builtin_bit_cast(std::initializer_list<uint64_t>, w);
	uint64_t acc = 0;
	for (uint64_t x : forged)
		acc ^= x;
	(void)ctx.packet().store(14, acc);
	return XdpAction::Tx;
}
