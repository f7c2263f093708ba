// expect: padding uninitialized
// flags: -DNETEXT_NATIVE
// Red team (issue 19), padding/06_bitcast_padding.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. padding: std::bit_cast of a padded struct to a byte
// array (padding bits are indeterminate, GCC copies them) and the bytes written to the packet. The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <bit>
#include <netext/xdp.hpp>
using namespace netext;

struct Rec {
	uint8_t a;
	uint32_t b;
};

NETEXT_XDP(bitcast_pad)
{
	Rec r;
	r.a = 1;
	r.b = 2;
	auto bytes = std::bit_cast<array<uint8_t, sizeof(Rec)>>(r);
	(void)ctx.packet().store(14, bytes);
	return XdpAction::Tx;
}
