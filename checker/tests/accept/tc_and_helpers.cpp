// A tc program with a header from the app's directory and NETEXT_TC_FUNCTION.
#include <netext/tc.hpp>

#include "tc_helpers.hpp"

using namespace netext;

struct Args {
	uint32_t off;
};

NETEXT_TC_FUNCTION(tail, Args)
{
	PacketView v = ctx.packet();
	uint8_t b = 0;
	return v.load(args.off, b) && helpers::is_odd(b) ? TcAction::Shot : TcAction::Ok;
}

NETEXT_TC(prog)
{
	return tail(ctx, Args{helpers::kOffset});
}
