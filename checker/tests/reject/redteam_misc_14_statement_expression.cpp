// expect: not-allowed subscript
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/14_statement_expression.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. misc: a GNU statement expression ({ ... }) wrapping
// a subscript with a packet index, in a macro: an out-of-bounds stack write hidden inside an
// expression. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

#define SET(a, i, x)                                                                               \
	({                                                                                         \
		(a)[(i)] = (x);                                                                    \
		(x);                                                                               \
	})

NETEXT_XDP(stmt_expr)
{
	PacketView v = ctx.packet();
	uint32_t i = 0;
	uint64_t val = 0;
	if (!v.load(14, i) || !v.load(18, val))
		return XdpAction::Pass;
	uint64_t buf[2] = {};
	uint64_t r = SET(buf, i, val);
	(void)v.store(0, r + buf[1]);
	return XdpAction::Pass;
}
