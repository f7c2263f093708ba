// counter: counts packets and bytes per protocol class, at XDP and at tc ingress/egress.
// Every packet passes unchanged. Stats: map `stats`, index hook * kClasses + class.
#include <netext/xdp.hpp>

#include "counter.hpp"

using namespace netext;
using namespace netext::counter;

// Per-CPU packets and bytes, index hook * kClasses + protocol class: what `netext stats` shows.
NETEXT_MAP(stats, PerCpuArray<Counter, kSlots>);

namespace {

NETEXT_INLINE uint32_t classify(const PacketView &v)
{
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok)
		return Malformed;
	uint32_t base = 0;
	if (info.l3 == L3::Ipv4)
		base = Ipv4Tcp;
	else if (info.l3 == L3::Ipv6)
		base = Ipv6Tcp;
	else
		return info.l2.proto == ethertype::Arp ? Arp : Other;
	switch (info.l4) {
	case L4::Tcp: return base + 0;
	case L4::Udp: return base + 1;
	case L4::Icmp:
	case L4::Icmpv6: return base + 2;
	default: return base + 3;
	}
}

NETEXT_INLINE void count(uint32_t hook, const PacketView &v)
{
	if (Ref<Counter> c = stats.lookup(slot(hook, classify(v)))) {
		c->packets += 1;
		c->bytes += v.size();
	}
}

} // namespace

NETEXT_XDP(count_xdp)
{
	count(HookXdp, ctx.packet());
	return XdpAction::Pass;
}

NETEXT_TC(count_tc_ingress)
{
	count(HookTcIngress, ctx.packet());
	return TcAction::Ok;
}

NETEXT_TC(count_tc_egress)
{
	count(HookTcEgress, ctx.packet());
	return TcAction::Ok;
}
