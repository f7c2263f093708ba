// A test-only extension for packet edits: grows the head, writes a tag there, trims the
// tail, and reports through its verdict which steps the kernel (or the host runner)
// allowed, so host and BPF_PROG_TEST_RUN can be compared at the edges.
//   grow = first payload byte (0..255, as a negative head delta), trim = second byte.
#include <netext/xdp.hpp>

using namespace netext;

NETEXT_XDP(edits_xdp)
{
	PacketView v = ctx.packet();
	int grow = v.byte(14), trim = v.byte(15);
	if (grow < 0 || trim < 0)
		return XdpAction::Aborted;
	if (!ctx.adjust_head(-grow))
		return XdpAction::Drop; // refused: nothing changed
	// A fresh view after the adjustment; the new head starts with a tag.
	PacketView grown = ctx.packet();
	if (grow >= 4)
		grown.write(0, "NX!?");
	if (!ctx.adjust_tail(-trim))
		return XdpAction::Pass; // head grown, tail refused
	return XdpAction::Tx;
}

NETEXT_TC(edits_tc)
{
	PacketView v = ctx.packet();
	int len = v.byte(14);
	if (len < 0)
		return TcAction::Shot;
	// change_tail to an absolute length (14..269): grows with zeroes or trims.
	return ctx.change_tail(static_cast<uint32_t>(len) + 14) ? TcAction::Ok : TcAction::Shot;
}
