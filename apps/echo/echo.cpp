// echo: answers UDP echo (port 7, the `port` knob) from XDP, over IPv4 and IPv6, with or
// without VLAN tags. The reply swaps Ethernet/IP addresses and ports, resets TTL / hop
// limit to 64 (IPv4 header checksum updated incrementally), computes the UDP checksum in
// full, trims link-layer padding, and leaves with XDP_TX. Everything else passes.
#include <netext/xdp.hpp>

#include "echo.hpp"

using namespace netext;
using namespace netext::echo;

// Per-CPU counters, one per Stat (replied, passed): what `netext stats` shows.
NETEXT_MAP(echo_stats, PerCpuArray<uint64_t, kStats>);
NETEXT_CONFIG(uint16_t, port, kDefaultPort); // the UDP port answered

namespace {

NETEXT_INLINE void bump(uint32_t i)
{
	if (Ref<uint64_t> c = echo_stats.lookup(i))
		*c += 1;
}

template <class T>
NETEXT_INLINE void swap_fields(T &a, T &b)
{
	T t = a;
	a = b;
	b = t;
}

// The full UDP checksum the datagram should carry. Incoming checksums are not verified:
// on veth, and wherever the sender offloads checksums, XDP sees CHECKSUM_PARTIAL packets
// whose field holds only the pseudo-header sum, indistinguishable from a corrupt one.
NETEXT_INLINE be16 udp_checksum(const PacketView &v, const PacketInfo &info, uint32_t len)
{
	uint32_t pseudo = info.l3 == L3::Ipv4
				  ? csum::pseudo_v4(info.v4.saddr, info.v4.daddr, ipproto::Udp, len)
				  : csum::pseudo_v6(v, info.l3_off, ipproto::Udp, len);
	return csum::udp_nonzero(csum::l4(v, pseudo, info.l4info.off, len, 6));
}

} // namespace

NETEXT_XDP(echo_xdp)
{
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok || info.l4 != L4::Udp ||
	    !(info.l4info.dest == hton16(port))) {
		bump(Passed);
		return XdpAction::Pass;
	}
	Ref<EthHdr> eth = v.get<EthHdr>(0);
	Ref<UdpHdr> udp = v.get<UdpHdr>(info.l4info.off);
	if (!eth || !udp)
		return XdpAction::Pass;
	swap_fields(eth->src, eth->dst);
	swap_fields(udp->source, udp->dest);
	if (info.l3 == L3::Ipv4) {
		Ref<Ipv4Hdr> ip = v.get<Ipv4Hdr>(info.l3_off);
		if (!ip)
			return XdpAction::Pass;
		swap_fields(ip->saddr, ip->daddr);
		be16 old_word = be16::from_host(static_cast<uint16_t>(ip->ttl << 8 | ip->protocol));
		ip->ttl = kReplyTtl;
		be16 new_word = be16::from_host(static_cast<uint16_t>(ip->ttl << 8 | ip->protocol));
		ip->check = csum::update16(ip->check, old_word, new_word);
	} else {
		Ref<Ipv6Hdr> ip = v.get<Ipv6Hdr>(info.l3_off);
		if (!ip)
			return XdpAction::Pass;
		swap_fields(ip->saddr, ip->daddr);
		ip->hop_limit = kReplyTtl;
	}
	// A zero IPv4 UDP checksum means "none" and stays so; otherwise compute it in full.
	if (info.l3 == L3::Ipv6 || udp->check.raw() != 0)
		udp->check = udp_checksum(v, info, udp->len.host());
	// Drop link-layer padding after the datagram (short frames are padded to 60 bytes).
	uint32_t padding = v.size() - info.l3_end;
	if (padding > 0 && !ctx.adjust_tail(-static_cast<int32_t>(padding)))
		return XdpAction::Aborted;
	bump(Replied);
	return XdpAction::Tx;
}
