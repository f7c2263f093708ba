// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// pull() used to move the packet under the views the program held; it is now a verdict.
#include <netext/tc.hpp>

using namespace netext;
NETEXT_TC(prog)
{
	PacketView v = ctx.packet();
#ifdef NETEXT_EXPECT_FAIL
	if (!ctx.pull(64))
		return TcAction::Ok;
#else
	if (v.size() < 64 && !ctx.pulled())
		return ctx.pull(64);
#endif
	return v.byte(0) == 1 ? TcAction::Shot : TcAction::Ok;
}
