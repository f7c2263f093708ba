// Rejected by netext-check: a raw pointer into the packet's header.
#include <netext/xdp.hpp>

using namespace netext;

NETEXT_XDP(bad_pointer)
{
	PacketView v = ctx.packet();
	Ref<EthHdr> eth = v.get<EthHdr>(0);
	if (!eth)
		return XdpAction::Pass;
	EthHdr *raw = &*eth;
	return raw->proto == hton16(0x0800) ? XdpAction::Pass : XdpAction::Drop;
}
