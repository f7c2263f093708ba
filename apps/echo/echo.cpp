// echo: answers UDP echo (port 7, the `port` knob) from XDP, over IPv4 and IPv6, with or without
// VLAN tags. The reply swaps Ethernet/IP addresses and ports, resets TTL / hop limit to 64 (IPv4
// header checksum updated incrementally), trims link-layer padding, and leaves with
// XDP_TX. A request whose UDP checksum is wrong is dropped; everything else passes.
#include <netext/xdp.hpp>

#include "echo.hpp"

using namespace netext;
using namespace netext::echo;

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

// Is the UDP checksum of the datagram right? (Zero means "none" over IPv4.)
NETEXT_INLINE bool udp_checksum_ok(const PacketView &v, const PacketInfo &info)
{
	Ref<UdpHdr> udp = v.get<UdpHdr>(info.l4info.off);
	if (!udp)
		return false;
	uint32_t len = udp->len.host();
	uint32_t pseudo;
	if (info.l3 == L3::Ipv4) {
		if (udp->check.raw() == 0)
			return true;
		pseudo = csum::pseudo_v4(info.v4.saddr, info.v4.daddr, ipproto::Udp, len);
	} else {
		pseudo = csum::pseudo_v6(v, info.l3_off, ipproto::Udp, len);
	}
	be16 want = csum::udp_nonzero(csum::l4(v, pseudo, info.l4info.off, len, 6));
	return want == udp->check;
}

} // namespace

NETEXT_XDP(echo_xdp)
{
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok || info.l4 != L4::Udp ||
	    !(info.l4info.dest == hton16(port)))
		return XdpAction::Pass;
	if (!udp_checksum_ok(v, info)) {
		bump(BadChecksum);
		return XdpAction::Drop;
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
	// Drop link-layer padding after the datagram (short frames are padded to 60 bytes).
	uint32_t padding = v.size() - info.l3_end;
	if (padding > 0 && !ctx.adjust_tail(-static_cast<int32_t>(padding)))
		return XdpAction::Aborted;
	bump(Replied);
	return XdpAction::Tx;
}
