// lb: an XDP layer-4 load balancer. A packet for a virtual service (VIP: address, port,
// protocol) goes to one of the VIP's backends, chosen by the flow's connection-table entry
// or, for a new flow (and every TCP SYN), by the VIP's Maglev table; it is encapsulated
// (IPv4 in IPv4, IPv6 in IPv6) and sent to the backend, which answers the client directly.
// Everything else passes untouched. See lb.hpp for the maps, README "LB" for the control
// plane (`netext lb`).
#include <netext/xdp.hpp>

#include <bit>

#include "lb.hpp"

using namespace netext;
using namespace netext::lb;

// The connection table is the kernel's common LRU (no BPF_F_NO_COMMON_LRU): an insert
// takes a node from this CPU's free list, refilled 128 at a time under the shared lock.
// With per-CPU LRU lists every insert rotates up to 128 nodes of its list instead:
// measured 1.3-2x the cost of a new flow here (issue 25), for no lock saved on lookups.
inline constexpr uint32_t kCommonLru = 0;

// The VIPs (address, port, protocol), each with its index (its ring and stats slots).
NETEXT_MAP(lb_vips, Hash<VipKey, Vip, kMaxVips>);
// The backends by index (id - 1): address, family, state (active, draining).
NETEXT_MAP(lb_backends, Array<Backend, kMaxBackends>);
// Each VIP's Maglev table, ring_size backend ids from its index * ring_size; then, from
// kMaxVips * ring_size, the VIP filter (lb.hpp, kFilterBits).
NETEXT_MAP(lb_ring, Array<uint32_t, kRingEntries>);
// The connection table: a flow's backend, so it keeps it when the Maglev table changes.
NETEXT_MAP(lb_conns, Map<MapKind::LruHash, FlowKey, Conn, kDefaultConns, kCommonLru>);
// Per-CPU packets and bytes: the global Stat slots (kStatNames), then per VIP and backend.
NETEXT_MAP(lb_stats, PerCpuArray<Counter, kStatSlots>);
// Per-CPU cache of each backend's next hop (the FIB lookup's interface and MACs).
NETEXT_MAP(lb_nexthops, PerCpuArray<NextHop, kMaxBackends>);

NETEXT_CONFIG(uint32_t, ring_size, kDefaultRingSize);
NETEXT_CONFIG(uint32_t, encap_src4, kDefaultSrc4); // host order; low 16 bits: flow hash
NETEXT_CONFIG(uint64_t, encap_src6, kDefaultSrc6); // the /64 prefix; low 64 bits: hash

namespace {

NETEXT_INLINE void count(uint32_t slot, uint32_t bytes)
{
	if (Ref<Counter> c = lb_stats.lookup(slot)) {
		c->packets += 1;
		c->bytes += bytes;
	}
}

// Where the packet is and what it goes to: handed to forward(), checked on its own.
struct Fwd {
	uint32_t l3_off;
	uint32_t l3_len; // the IP datagram (inner packet) length
	uint32_t hash;
	uint32_t backend; // index + 1
	uint32_t ipv6;
	uint32_t tos; // inner traffic class, copied outwards
};

NETEXT_INLINE Addr addr4(be32 a)
{
	Addr r{};
	r.get<0>() = a.raw();
	return r;
}

// Whether the packet's destination may be a VIP: false when the VIP filter is on and the
// destination's bit is clear (two array reads, no hash-map lookup).
NETEXT_INLINE bool maybe_vip(const FlowKey &fk)
{
	const uint32_t base = kMaxVips * ring_size;
	Ref<uint32_t> on = lb_ring.lookup(base + kFilterWords);
	if (!on || *on != kFilterOn)
		return true;
	uint32_t bit = vip_filter_bit(fk.dst, fk.dport, fk.proto, fk.family);
	Ref<uint32_t> w = lb_ring.lookup(base + (bit >> 5));
	return !w || ((*w >> (bit & 31)) & 1) != 0;
}

// The backend of the flow's connection-table entry (c: the entry, or none) while its slot
// still holds the backend the flow was given (the slot's gen), else none. That backend
// serves the flow's VIP (its `vip`): a slot given to another backend has another gen.
NETEXT_INLINE Ref<Backend> remembered(const Ref<Conn> &c)
{
	if (!c)
		return {};
	Ref<Backend> be = lb_backends.lookup(c->backend - 1);
	return be && be->state != Free && be->gen == c->gen ? be : Ref<Backend>{};
}

// A new flow's backend (and every TCP SYN's), from the VIP's Maglev table, remembered for
// the flow's next packets. c: the flow's connection-table entry, or none. 0 when the VIP has
// no backend.
NETEXT_INLINE uint32_t pick(const FlowKey &fk, const Vip &vip, uint32_t hash, bool syn,
			    bool remember, const Ref<Conn> &c)
{
	count(syn ? Syns : ConnMisses, 0);
	uint32_t idx = vip.index * ring_size + netext::mod(hash, static_cast<uint32_t>(ring_size));
	Ref<uint32_t> r = lb_ring.lookup(idx);
	uint32_t b = r ? *r : 0;
	if (b == 0)
		return 0;
	Ref<Backend> be = lb_backends.lookup(b - 1);
	if (!be || be->state == Free)
		return 0;
	// A SYN of a flow already recorded with this backend (a retransmitted SYN, a reused
	// tuple) changes nothing: the lookup the caller made instead of an LRU update, which
	// costs several times more (it takes locks and rotates the LRU lists).
	if (remember && !(c && c->backend == b && c->gen == be->gen))
		lb_conns.update(fk, Conn{b, be->gen, hash});
	return b;
}

// The outer IPv6 source: the configured /64, then the flow hash and a mix of it.
NETEXT_INLINE Addr src6(uint32_t hash)
{
	uint64_t prefix = encap_src6;
	Addr src{};
	src.get<0>() = be32::from_host(static_cast<uint32_t>(prefix >> 32)).raw();
	src.get<1>() = be32::from_host(static_cast<uint32_t>(prefix)).raw();
	src.get<2>() = hash;
	src.get<3>() = mix32(hash ^ 0x5bd1e995u);
	return src;
}

NETEXT_INLINE uint32_t ipv4_header_sum(const Ipv4Hdr &h)
{
	uint32_t s = (static_cast<uint32_t>(h.version_ihl) << 8 | h.tos) + h.tot_len.host() +
		     h.id.host() + h.frag_off.host() +
		     (static_cast<uint32_t>(h.ttl) << 8 | h.protocol);
	s = csum::add32(s, h.saddr.host());
	return csum::add32(s, h.daddr.host());
}

// Encapsulates the packet for its backend and sends it on: out of the interface the
// kernel's forwarding table names (back out of this one: XDP_TX), or, when the next hop's
// address is not resolved yet, up the stack, which forwards it and resolves it.
NETEXT_INLINE XdpAction forward(XdpContext &ctx, const Fwd &args)
{
	Ref<Backend> be = lb_backends.lookup(args.backend - 1);
	if (!be)
		return XdpAction::Drop;
	Addr dst = be->addr;
	uint32_t l2 = args.l3_off; // 14, 18 or 22: Ethernet and up to two VLAN tags
	uint32_t hdr = args.ipv6 ? sizeof(Ipv6Hdr) : sizeof(Ipv4Hdr);
	uint32_t outer_len = args.l3_len + hdr;
	if (l2 < 14 || l2 > 22 || ((l2 - 14) & 3) || outer_len > 0xffff ||
	    !ctx.adjust_head(-static_cast<int32_t>(hdr))) {
		count(EncapErrors, 0);
		return XdpAction::Drop;
	}
	PacketView p = ctx.packet();
	// The link-layer header moves to the new front: its type and VLAN tags now, its
	// addresses once the next hop is known (the next hop's; these if the stack takes it).
	array<uint32_t, 3> macs{};
	uint16_t type = 0;
	if (!p.load(hdr, macs) || !p.load(hdr + 12, type) || !p.store(12, type))
		return XdpAction::Drop;
	for (uint32_t i = 14; i < 22; i += 4) {
		if (i >= l2)
			break;
		uint32_t tag = 0;
		if (!p.load(i + hdr, tag) || !p.store(i, tag))
			return XdpAction::Drop;
	}
	if (!args.ipv6) {
		Ipv4Hdr o{};
		o.version_ihl = 0x45;
		o.tos = static_cast<uint8_t>(args.tos);
		o.tot_len = be16::from_host(static_cast<uint16_t>(outer_len));
		o.ttl = 64;
		o.protocol = ipproto::Ipip;
		o.saddr = be32::from_host((encap_src4 & 0xffff0000u) | (args.hash & 0xffffu));
		o.daddr = be32::from_raw(dst.get<0>());
		o.check = csum::finish(ipv4_header_sum(o));
		if (!p.store(l2, o))
			return XdpAction::Drop;
	} else {
		Ipv6Hdr o{};
		o.ver_tc_flow =
			be32::from_host(6u << 28 | (args.tos & 0xff) << 20 | (args.hash & 0xfffff));
		o.payload_len = be16::from_host(static_cast<uint16_t>(args.l3_len));
		o.nexthdr = ipproto::Ipv6;
		o.hop_limit = 64;
		o.saddr = std::bit_cast<Ipv6Addr>(src6(args.hash));
		o.daddr = std::bit_cast<Ipv6Addr>(dst);
		if (!p.store(l2, o))
			return XdpAction::Drop;
	}
	// The next hop: this CPU's cached FIB answer for the backend while it is fresh, else
	// the FIB itself (a route and neighbour lookup costs more than the rest of the path).
	Ref<NextHop> nh = lb_nexthops.lookup(args.backend - 1);
	if (!nh)
		return XdpAction::Drop;
	// The clock is the tick counter: one load on eBPF, where a clock read is a helper call.
	uint64_t now = tick_now();
	if (nh->expires <= now || nh->gen != be->gen) {
		FibResult fib;
		Fib route = Fib::NoRoute;
		if (!args.ipv6)
			route = ctx.fib_lookup4(
				be32::from_host((encap_src4 & 0xffff0000u) | (args.hash & 0xffffu))
					.raw(),
				dst.get<0>(), static_cast<uint16_t>(outer_len), fib);
		else
			route = ctx.fib_lookup6(std::bit_cast<Ipv6Addr>(src6(args.hash)),
						std::bit_cast<Ipv6Addr>(dst),
						static_cast<uint16_t>(outer_len), fib);
		if (route != Fib::Ok) {
			count(ToStack, 0);
			return p.store(0, macs) ? XdpAction::Pass : XdpAction::Drop;
		}
		nh->ifindex = fib.ifindex;
		nh->smac = fib.smac;
		nh->dmac = fib.dmac;
		nh->gen = be->gen;
		nh->expires = now + 1 + netext::div(kNextHopTtlNs, tick_ns());
	}
	if (!p.store(0, nh->dmac) || !p.store(6, nh->smac))
		return XdpAction::Drop;
	count(Transmitted, 0);
	if (nh->ifindex == ctx.ingress_ifindex())
		return XdpAction::Tx;
	return ctx.redirect(nh->ifindex);
}

// The 5-tuple of a TCP/UDP header at l4_off whose IP header at l3_off has the given
// family; `reverse` reads it from the other side (the packet an ICMP error quotes).
NETEXT_INLINE bool flow_of(const PacketView &v, uint32_t l3_off, uint32_t l4_off, bool ipv6,
			   uint8_t proto, bool reverse, FlowKey &fk)
{
	Addr a{}, b{};
	if (ipv6) {
		Ref<Ipv6Hdr> ip = v.get<Ipv6Hdr>(l3_off); // one bounds check for both
		if (!ip)
			return false;
		a = std::bit_cast<Addr>(ip->saddr);
		b = std::bit_cast<Addr>(ip->daddr);
	} else {
		Ref<Ipv4Hdr> ip = v.get<Ipv4Hdr>(l3_off);
		if (!ip)
			return false;
		a = addr4(ip->saddr);
		b = addr4(ip->daddr);
	}
	be16 sp{}, dp{};
	if (!v.load(l4_off, sp) || !v.load(l4_off + 2, dp))
		return false;
	fk.src = reverse ? b : a;
	fk.dst = reverse ? a : b;
	fk.sport = reverse ? dp : sp;
	fk.dport = reverse ? sp : dp;
	fk.proto = proto;
	fk.family = ipv6 ? Ipv6 : Ipv4;
	fk.pad = 0;
	return true;
}

// ICMP "fragmentation needed" / ICMPv6 "packet too big" for a VIP: the quoted packet was
// sent by a backend (from the VIP to a client); the error goes to that flow's backend, so
// its TCP lowers the path MTU. Other ICMP, and errors for no VIP, pass.
NETEXT_INLINE XdpAction icmp_too_big(XdpContext &ctx, const PacketView &v, const PacketInfo &info)
{
	uint32_t quoted = info.l4info.off + sizeof(IcmpHdr);
	bool ipv6 = info.l3 == L3::Ipv6;
	uint32_t inner_l4 = 0;
	uint8_t proto = 0;
	if (ipv6) {
		Ref<Ipv6Hdr> in = v.get<Ipv6Hdr>(quoted);
		if (!in)
			return XdpAction::Pass;
		proto = in->nexthdr;
		inner_l4 = quoted + sizeof(Ipv6Hdr);
	} else {
		Ref<Ipv4Hdr> in = v.get<Ipv4Hdr>(quoted);
		if (!in || in->ihl() < 5)
			return XdpAction::Pass;
		proto = in->protocol;
		inner_l4 = quoted + in->header_len();
	}
	if (proto != ipproto::Tcp && proto != ipproto::Udp)
		return XdpAction::Pass;
	FlowKey fk{};
	if (!flow_of(v, quoted, inner_l4, ipv6, proto, true, fk))
		return XdpAction::Pass;
	Ref<Vip> vip = lb_vips.lookup(VipKey{fk.dst, fk.dport, proto, fk.family});
	if (!vip) {
		count(NonVip, v.size());
		return XdpAction::Pass;
	}
	uint32_t hash = flow_hash(fk);
	Ref<Conn> c = lb_conns.lookup(fk);
	uint32_t b = 0;
	if (remembered(c)) {
		count(ConnHits, 0);
		b = c->backend;
	} else {
		b = pick(fk, *vip, hash, false, false, c);
	}
	if (b == 0) {
		count(NoBackend, v.size());
		return XdpAction::Drop;
	}
	count(IcmpTooBig, v.size());
	uint32_t tos = 0;
	return forward(ctx,
		       Fwd{info.l3_off, info.l3_end - info.l3_off, hash, b, ipv6 ? 1u : 0u, tos});
}

} // namespace

NETEXT_XDP(lb_rx)
{
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok) {
		count(Malformed, v.size());
		return XdpAction::Pass;
	}
	bool ipv6 = info.l3 == L3::Ipv6;
	if (info.l4 == L4::Icmp) {
		Ref<IcmpHdr> ic = v.get<IcmpHdr>(info.l4info.off);
		if (ic && ic->type == 3 && ic->code == 4)
			return icmp_too_big(ctx, v, info);
	} else if (info.l4 == L4::Icmpv6) {
		Ref<IcmpHdr> ic = v.get<IcmpHdr>(info.l4info.off);
		if (ic && ic->type == 2)
			return icmp_too_big(ctx, v, info);
	}
	if (info.l4 != L4::Tcp && info.l4 != L4::Udp) {
		count(NonVip, v.size());
		return XdpAction::Pass;
	}
	FlowKey fk{};
	if (!flow_of(v, info.l3_off, info.l4info.off, ipv6, info.ip_proto, false, fk)) {
		count(Malformed, v.size());
		return XdpAction::Pass;
	}
	if (!maybe_vip(fk)) {
		count(NonVip, v.size());
		return XdpAction::Pass;
	}
	bool syn = info.l4 == L4::Tcp &&
		   (info.l4info.tcp_flags & (TcpHdr::Syn | TcpHdr::Ack)) == TcpHdr::Syn;
	// An established flow goes by its connection-table entry alone (its backend names the
	// VIP: no VIP lookup, and the entry keeps the flow's hash); a new flow, or a SYN, by
	// the VIP's Maglev table.
	Ref<Conn> c = syn ? Ref<Conn>{} : lb_conns.lookup(fk);
	uint32_t b = 0, vip_index = 0, hash = 0;
	if (Ref<Backend> be = remembered(c)) {
		count(ConnHits, 0);
		b = c->backend;
		hash = c->hash;
		vip_index = be->vip;
	} else {
		Ref<Vip> vip = lb_vips.lookup(VipKey{fk.dst, fk.dport, info.ip_proto, fk.family});
		if (!vip) {
			count(NonVip, v.size());
			return XdpAction::Pass;
		}
		vip_index = vip->index;
		hash = flow_hash(fk);
		if (syn) // looked up after the VIP: measured faster than before it
			c = lb_conns.lookup(fk);
		b = pick(fk, *vip, hash, syn, true, c);
		if (b == 0) {
			count(NoBackend, v.size());
			return XdpAction::Drop;
		}
	}
	count(kVipStatBase + vip_index, v.size());
	count(kBackendStatBase + b - 1, v.size());
	uint32_t tos = 0;
	if (ipv6) {
		be32 w{};
		if (v.load(info.l3_off, w))
			tos = (w.host() >> 20) & 0xff;
	} else if (Ref<Ipv4Hdr> ip = v.get<Ipv4Hdr>(info.l3_off)) {
		tos = ip->tos;
	}
	return forward(ctx,
		       Fwd{info.l3_off, info.l3_end - info.l3_off, hash, b, ipv6 ? 1u : 0u, tos});
}
