// pktcount: an example of a user's own netext app, built outside netext's source tree:
//
//   netext build pktcount.cpp --backend both        # -> pktcount.netext/
//   netext attach veth0 pktcount.netext [--backend native]
//   netext map veth0 pktcount dump counts           # packets per class, summed over CPUs
//
// Counts the packets arriving on an interface by L4 protocol (ICMP/ICMPv6, TCP, UDP,
// anything else) and passes every one unchanged.
#include <netext/xdp.hpp>

#include "pktcount.hpp"

using namespace netext;

NETEXT_MAP(counts, PerCpuArray<uint64_t, pktcount::kClasses>);

namespace {

NETEXT_INLINE uint32_t classify(const PacketView &v)
{
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok)
		return pktcount::Other;
	switch (info.l4) {
	case L4::Icmp:
	case L4::Icmpv6: return pktcount::Icmp;
	case L4::Tcp: return pktcount::Tcp;
	case L4::Udp: return pktcount::Udp;
	default: return pktcount::Other;
	}
}

} // namespace

NETEXT_XDP(pktcount_xdp)
{
	if (Ref<uint64_t> n = counts.lookup(classify(ctx.packet())))
		*n += 1;
	return XdpAction::Pass;
}
