// libFuzzer target for the LB app on the host backend (ASan + UBSan): each input is a
// sequence of configuration changes made through the LB's real control plane (the
// Balancer `netext lb` runs, here on the host backend's maps: VIPs added and deleted,
// backends added, re-weighted, drained, deleted, errors included) interleaved with packets
// (IPv4/IPv6, TCP/UDP, SYNs and established flows, VLAN/QinQ, IPv4 options, IPv6
// extension headers, TCP options, link padding, fragments, ICMP too-big, garbage, one-byte
// mutants of VIP packets), decoded by the ops of app_fuzz.hpp.
//
// A model of the configuration (which VIPs exist, their backends and states, the backend
// each flow was given) holds every result to these invariants:
//   * a control-plane call throws exactly when the model says it is wrong (and then
//     changes nothing the packets can see);
//   * a packet not for a configured VIP (another address, port or protocol, a fragment,
//     ICMP other than too-big, malformed) passes untouched;
//   * a VIP packet leaves as a well-formed encapsulation: the link-layer header kept, an
//     outer IPv4 (IPIP, checksum valid, source in 198.19.0.0/16 from the flow hash) or IPv6
//     (IPv6-in-IPv6, flow label from the flow hash) header whose length covers exactly the
//     original datagram, then the original bytes; addressed to a backend of that very VIP
//     that is currently configured -- never one deleted, never one of a deleted VIP --,
//     active for new flows and SYNs, the flow's own backend while that one stays
//     configured (draining included), the one the VIP's Maglev table names otherwise; it
//     is dropped only when the VIP has no backend for it.
// The host runner has no forwarding table, so encapsulated packets go to the stack (Pass)
// with their MACs as they came.
#include <netext/config.hpp>
#include <netext/host/runtime.hpp>
#include <netext/lb/balancer.hpp>
#include <netext/loader/error.hpp>
#include <netext/maps.hpp>
#include <netext/parsers.hpp>
#include <netext/verdict.hpp>

#include <arpa/inet.h>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app_fuzz.hpp"
#include "frame.hpp"
#include "host_maps.hpp"
#include "lb.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::fuzz;
using netext::testing::Bytes;
using netext::testing::HostLbMaps;
using netext::testing::PacketSpec;
using Net = PacketSpec::Net;

namespace {

constexpr int kDrop = static_cast<int>(XdpAction::Drop);
constexpr int kPass = static_cast<int>(XdpAction::Pass);

// ---- the world: VIPs, backends, clients ----------------------------------------------------

struct VipDef {
	bool v6;
	uint32_t addr4;
	uint8_t last6; // 2001:db8::last6
	uint16_t port;
	uint8_t proto;
	const char *text;
};
constexpr VipDef kVips[6] = {
	{false, 0xc6120002, 0, 80, 6, "198.18.0.2:80/tcp"},
	{false, 0xc6120002, 0, 80, 17, "198.18.0.2:80/udp"},
	{true, 0, 2, 443, 6, "[2001:db8::2]:443/tcp"},
	{true, 0, 2, 53, 17, "[2001:db8::2]:53/udp"},
	{false, 0xc6120004, 0, 80, 6, "198.18.0.4:80/tcp"},
	{true, 0, 4, 80, 17, "[2001:db8::4]:80/udp"},
};
constexpr int kBackends = 8; // per family: 198.18.9.1..8, 2001:db8:9::1..8
constexpr int kFlows = 8;    // clients 198.18.0.10+i / 2001:db8::10+i, port 40000+i
// The backend table the control plane is given (HostLbMaps' backend_slots; the program's
// has lb::kMaxBackends): 64 slots hold every backend an input can configure at once (six
// VIPs, eight each), 16 let an input fill it. Scanning 64 rather than 1024 slots per change
// is most of what makes the target fast.
constexpr uint32_t kMaxSlots = 64;
constexpr uint32_t kSmallSlots = 16;

lb::IpAddress backend_addr(bool v6, int i)
{
	return lb::IpAddress::parse(v6 ? "2001:db8:9::" + std::to_string(i + 1)
				       : "198.18.9." + std::to_string(i + 1));
}

struct ModelBackend {
	uint16_t weight;
	bool draining;
};

struct ModelVip {
	bool present = false;
	std::map<int, ModelBackend> backends;
	[[nodiscard]] bool any_active() const
	{
		for (const auto &[i, b] : backends)
			if (!b.draining)
				return true;
		return false;
	}
};

struct Model {
	ModelVip vips[6];
	std::map<std::pair<int, int>, int> conns; // (flow, vip) -> backend given to it
	// Backend slots in use: every backend of a VIP, draining ones included (a slot is
	// freed by deleting the backend or its VIP).
	[[nodiscard]] std::size_t slots_used() const
	{
		std::size_t n = 0;
		for (const ModelVip &v : vips)
			n += v.backends.size();
		return n;
	}
};

// ---- packets -------------------------------------------------------------------------------

struct Sent {
	Bytes bytes;
	PacketSpec spec;
	int vip = -1;  // the configured VIP it is for, -1 if none
	int flow = -1; // the client
	bool syn = false;
	bool fragment = false;
};

// The configured VIP a destination names, or -1.
int vip_for(const Model &m, bool v6, uint32_t addr4, uint8_t last6, uint16_t port, uint8_t proto)
{
	for (int v = 0; v < 6; v++) {
		const VipDef &d = kVips[v];
		if (m.vips[v].present && d.v6 == v6 && d.port == port && d.proto == proto &&
		    (v6 ? d.last6 == last6 : d.addr4 == addr4))
			return v;
	}
	return -1;
}

PacketSpec client_spec(int vip, int flow)
{
	const VipDef &d = kVips[vip];
	PacketSpec s;
	s.net = d.v6 ? Net::Ipv6 : Net::Ipv4;
	s.proto = d.proto;
	s.src4 = 0xc612000a + static_cast<uint32_t>(flow);
	s.src6_last = static_cast<uint8_t>(0x10 + flow);
	s.dst4 = d.addr4;
	s.dst6_last = d.last6;
	s.sport = static_cast<uint16_t>(40000 + flow);
	s.dport = d.port;
	s.payload = testing::text("hello");
	return s;
}

// A packet of flow `flow` toward VIP definition `vip`, maybe retargeted elsewhere.
Sent make_packet(const Model &m, uint8_t target, uint8_t flow, uint8_t kind, uint8_t encap)
{
	int v = target % 6;
	Sent out;
	out.flow = flow % kFlows;
	PacketSpec s = client_spec(v, out.flow);
	switch ((target >> 3) % 4) {
	case 1: s.dport = static_cast<uint16_t>(s.dport + 1); break; // another port
	case 2: s.proto = s.proto == 6 ? 17 : 6; break;		     // another protocol
	case 3: s.dst4 += 7, s.dst6_last = static_cast<uint8_t>(s.dst6_last + 7); break;
	default: break;
	}
	bool v6 = s.net == Net::Ipv6;
	switch (kind % 10) {
	case 0: s.tcp_flags = 0x02; break; // SYN
	case 1: s.tcp_flags = 0x10; break; // ACK
	case 2: s.tcp_flags = 0x12; break; // SYN|ACK: not a new flow
	case 3:
		s.tcp_flags = 0x18;
		s.tcp_options = {0x02, 0x04, 0x05, 0xb4}; // MSS
		if (v6)
			s.ipv6_ext = {{0, 8}, {60, 16}};
		else
			s.ipv4_options = {0x01, 0x01, 0x01, 0x00};
		break;
	case 4: s.vlan_tpids = {0x8100}; break;
	case 5: s.vlan_tpids = {0x88a8, 0x8100}; break;
	case 6: // the first fragment
		out.fragment = true;
		if (v6)
			s.ipv6_ext = {{44, 8, 0, true}};
		else
			s.ipv4_frag = 0x2000;
		break;
	case 7: // a later fragment
		out.fragment = true;
		if (v6)
			s.ipv6_ext = {{44, 8, 3, false}};
		else
			s.ipv4_frag = 3;
		break;
	case 8:
		s.pad_to = 96;
		s.payload = {};
		break;
	default: s.tcp_flags = 0x14; break; // RST|ACK
	}
	s.payload.resize(s.payload.size() + encap % 64, static_cast<uint8_t>(encap));
	out.spec = s;
	out.bytes = build(s);
	out.syn = s.proto == 6 && (s.tcp_flags & 0x12) == 0x02;
	if (!out.fragment)
		out.vip = vip_for(m, v6, s.dst4, s.dst6_last, s.dport, s.proto);
	return out;
}

lb::FlowKey flow_key(bool v6, const uint8_t *src, const uint8_t *dst, uint16_t sport,
		     uint16_t dport, uint8_t proto)
{
	lb::FlowKey k{};
	std::memcpy(&k.src, src, v6 ? 16 : 4);
	std::memcpy(&k.dst, dst, v6 ? 16 : 4);
	k.sport = be16::from_host(sport);
	k.dport = be16::from_host(dport);
	k.proto = proto;
	k.family = v6 ? lb::Ipv6 : lb::Ipv4;
	return k;
}

uint16_t get16(const Bytes &b, std::size_t off)
{
	return static_cast<uint16_t>(b.at(off) << 8 | b.at(off + 1));
}

// `out` is `in` encapsulated (outer header after the link-layer header at l3) for the
// backend at the outer destination, which it returns; aborts if it is not well formed.
lb::IpAddress check_encap(const Bytes &in, const Bytes &out, std::size_t l3, bool v6, uint32_t hash,
			  uint8_t tos)
{
	std::size_t hdr = v6 ? 40 : 20;
	check(out.size() == in.size() + hdr, "an encapsulation adds exactly one IP header");
	check(std::equal(in.begin(), in.begin() + static_cast<long>(l3), out.begin()),
	      "the link-layer header is kept (no FIB on the host: MACs as they came)");
	check(std::equal(in.begin() + static_cast<long>(l3), in.end(),
			 out.begin() + static_cast<long>(l3 + hdr)),
	      "the original datagram follows the outer header, unchanged");
	const uint8_t *o = out.data() + l3;
	lb::IpAddress to;
	if (v6) {
		std::size_t inner_len = get16(in, l3 + 4) + 40u;
		uint32_t w = static_cast<uint32_t>(o[0]) << 24 | o[1] << 16 | o[2] << 8 | o[3];
		check(w >> 28 == 6 && ((w >> 20) & 0xff) == tos &&
			      (w & 0xfffff) == (hash & 0xfffff),
		      "outer IPv6: version, traffic class, flow label from the flow hash");
		check(get16(out, l3 + 4) == inner_len && o[6] == 41 && o[7] == 64,
		      "outer IPv6: payload length, IPv6-in-IPv6, hop limit");
		static const uint8_t prefix[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0xff, 0xff};
		check(std::memcmp(o + 8, prefix, 8) == 0 && std::memcmp(o + 16, &hash, 4) == 0,
		      "outer IPv6 source: the /64 and the flow hash");
		to.family = AF_INET6;
		std::memcpy(to.bytes.data(), o + 24, 16);
	} else {
		std::size_t inner_len = get16(in, l3 + 2);
		check(o[0] == 0x45 && o[1] == tos && get16(out, l3 + 2) == inner_len + 20 &&
			      get16(out, l3 + 4) == 0 && get16(out, l3 + 6) == 0 && o[8] == 64 &&
			      o[9] == 4,
		      "outer IPv4: header fields, IPIP");
		check(testing::ref_sum(o, 20) == 0xffff, "outer IPv4 header checksum");
		check(o[12] == 198 && o[13] == 19 && o[14] == ((hash >> 8) & 0xff) &&
			      o[15] == (hash & 0xff),
		      "outer IPv4 source: 198.19.0.0/16 and the flow hash");
		to.family = AF_INET;
		std::memcpy(to.bytes.data(), o + 16, 4);
	}
	return to;
}

// The backend index of VIP v at that address in the model, or -1.
int model_backend(const Model &m, int v, const lb::IpAddress &a)
{
	for (const auto &[i, b] : m.vips[v].backends)
		if (backend_addr(kVips[v].v6, i) == a)
			return i;
	return -1;
}

// What the LB's Maglev table names for a hash of VIP v (read from its maps).
std::optional<lb::IpAddress> table_pick(int v, uint32_t hash, uint32_t ring)
{
	lb::VipKey key{};
	const VipDef &d = kVips[v];
	if (d.v6) {
		uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8};
		a[15] = d.last6;
		std::memcpy(&key.addr, a, 16);
	} else {
		uint32_t a = htonl(d.addr4);
		std::memcpy(&key.addr, &a, 4);
	}
	key.port = be16::from_host(d.port);
	key.proto = d.proto;
	key.family = d.v6 ? lb::Ipv6 : lb::Ipv4;
	static host::MapBase *vips = host::find_map("lb", "lb_vips");
	static host::MapBase *rings = host::find_map("lb", "lb_ring");
	static host::MapBase *backends = host::find_map("lb", "lb_backends");
	const uint8_t *vip = vips->lookup(&key);
	if (!vip)
		return std::nullopt;
	lb::Vip vv{};
	std::memcpy(&vv, vip, sizeof(vv));
	uint32_t idx = vv.index * ring + hash % ring;
	uint32_t id = 0;
	std::memcpy(&id, rings->lookup(&idx), 4);
	if (id == 0)
		return std::nullopt;
	uint32_t slot = id - 1;
	lb::Backend be{};
	std::memcpy(&be, backends->lookup(&slot), sizeof(be));
	lb::IpAddress a;
	a.family = d.v6 ? AF_INET6 : AF_INET;
	std::memcpy(a.bytes.data(), &be.addr, d.v6 ? 16 : 4);
	return a;
}

struct World {
	Model m;
	std::unique_ptr<lb::Balancer> lb;
	uint32_t ring = 13;
	uint32_t slots = 0; // the backend table's size (HostLbMaps)
	unsigned cpu = 0;
	Bytes last_vip_packet;
};

const host::Program *g_rx;

host::RunResult run(World &w, const Bytes &pkt)
{
	host::RunResult r;
	host::RunOptions o;
	o.cpu = w.cpu % host::kHostCpus;
	check(host::run(*g_rx, pkt, r, o), "host::run takes the packet");
	check(r.verdict == kPass || r.verdict == kDrop,
	      "lb_rx returns Pass or Drop (no forwarding table on the host)");
	return r;
}

std::string tuple_text(const Sent &s)
{
	return "vip " + std::to_string(s.vip) + " flow " + std::to_string(s.flow);
}

// A structured packet: its result against the model.
void packet(World &w, const Sent &s)
{
	host::RunResult r = run(w, s.bytes);
	if (s.vip < 0) {
		check(r.verdict == kPass && r.data == s.bytes,
		      "traffic not for a configured VIP passes untouched", tuple_text(s));
		return;
	}
	const ModelVip &mv = w.m.vips[s.vip];
	auto conn = w.m.conns.find({s.flow, s.vip});
	std::optional<int> keep;
	if (!s.syn && conn != w.m.conns.end() && mv.backends.count(conn->second))
		keep = conn->second;
	if (r.verdict == kDrop) {
		check(!keep && !mv.any_active(), "a VIP packet is dropped only without a backend",
		      tuple_text(s));
		return;
	}
	bool v6 = kVips[s.vip].v6;
	std::size_t l3 = testing::l3_offset(s.spec);
	const uint8_t *src = s.bytes.data() + l3 + (v6 ? 8 : 12);
	const uint8_t *dst = s.bytes.data() + l3 + (v6 ? 24 : 16);
	uint32_t hash =
		lb::flow_hash(flow_key(v6, src, dst, s.spec.sport, s.spec.dport, s.spec.proto));
	uint8_t tos = v6 ? static_cast<uint8_t>((s.bytes[l3] & 0x0f) << 4 | s.bytes[l3 + 1] >> 4)
			 : s.bytes[l3 + 1];
	lb::IpAddress to = check_encap(s.bytes, r.data, l3, v6, hash, tos);
	int b = model_backend(w.m, s.vip, to);
	check(b >= 0, "a VIP packet goes to a configured backend of that VIP",
	      tuple_text(s) + " to " + to.str());
	if (keep) {
		check(b == *keep, "an established flow keeps its backend while it is configured",
		      tuple_text(s) + " to " + to.str());
	} else {
		check(!mv.backends.at(b).draining, "new flows and SYNs go to active backends",
		      tuple_text(s) + " to " + to.str());
		std::optional<lb::IpAddress> t = table_pick(s.vip, hash, w.ring);
		check(t && *t == to, "a new flow goes where the VIP's Maglev table says",
		      tuple_text(s));
	}
	w.m.conns[{s.flow, s.vip}] = b;
}

// Garbage or a mutant: whatever it is, the result must be one of the allowed ones.
void any_packet(World &w, const Bytes &in)
{
	host::RunResult r = run(w, in);
	if (r.verdict == kPass && r.data == in)
		return;
	testing::Frame f(in);
	PacketView v = f.view();
	PacketInfo info;
	check(parse_packet(v, info) == Parse::Ok && !info.fragment &&
		      (info.l3 == L3::Ipv4 || info.l3 == L3::Ipv6),
	      "only parsed, unfragmented IP packets are changed or dropped");
	bool v6 = info.l3 == L3::Ipv6;
	bool icmp = info.l4 == L4::Icmp || info.l4 == L4::Icmpv6;
	int vip = -1;
	int flow = -1;
	if (!icmp) {
		check(info.l4 == L4::Tcp || info.l4 == L4::Udp, "TCP or UDP");
		const uint8_t *d = in.data() + info.l3_off + (v6 ? 24 : 16);
		uint32_t a4 = 0;
		std::memcpy(&a4, d, 4);
		bool dst_ok = v6 ? std::memcmp(d, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0", 15) == 0
				 : true;
		if (dst_ok)
			vip = vip_for(w.m, v6, ntohl(a4), d[15], info.l4info.dest.host(),
				      info.ip_proto);
		check(vip >= 0, "only VIP packets are changed or dropped");
		const uint8_t *s = in.data() + info.l3_off + (v6 ? 8 : 12);
		for (int i = 0; i < kFlows; i++) {
			PacketSpec c = client_spec(vip, i);
			bool same = v6 ? std::memcmp(s, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0",
						     15) == 0 &&
						    s[15] == c.src6_last
				       : (static_cast<uint32_t>(s[0]) << 24 | s[1] << 16 |
					  s[2] << 8 | s[3]) == c.src4;
			if (same && info.l4info.source.host() == c.sport)
				flow = i;
		}
	}
	if (r.verdict == kDrop) { // a VIP packet (or an ICMP error for one) without a backend
		check(icmp || !w.m.vips[vip].any_active(),
		      "a VIP packet is dropped only without an active backend");
		return;
	}
	uint8_t tos = 0;
	if (!icmp)
		tos = v6 ? static_cast<uint8_t>((in[info.l3_off] & 0x0f) << 4 |
						in[info.l3_off + 1] >> 4)
			 : in[info.l3_off + 1];
	// The hash as the outer source carries it (IPv6: checked against the flow label).
	uint32_t hash = 0;
	std::size_t o = info.l3_off;
	if (v6)
		std::memcpy(&hash, r.data.data() + o + 16, 4);
	else
		hash = static_cast<uint32_t>(r.data.at(o + 14) << 8 | r.data.at(o + 15));
	lb::IpAddress to = check_encap(in, r.data, o, v6, hash, tos);
	bool found = false;
	for (int x = 0; x < 6; x++)
		if ((icmp || x == vip) && w.m.vips[x].present && kVips[x].v6 == v6 &&
		    model_backend(w.m, x, to) >= 0)
			found = true;
	check(found, "a changed packet goes to a configured backend of its VIP", to.str());
	if (!icmp && flow >= 0 && vip >= 0)
		w.m.conns[{flow, vip}] = model_backend(w.m, vip, to);
}

void icmp_too_big(World &w, uint8_t vsel, uint8_t fsel)
{
	int v = vsel % 6;
	int flow = fsel % kFlows;
	const VipDef &d = kVips[v];
	// The packet the backend sent (from the VIP to the client), quoted by a router.
	PacketSpec q = client_spec(v, flow);
	std::swap(q.src4, q.dst4);
	std::swap(q.src6_last, q.dst6_last);
	std::swap(q.sport, q.dport);
	Bytes qb = build(q);
	std::size_t ql3 = testing::l3_offset(q);
	Bytes quoted(qb.begin() + static_cast<long>(ql3),
		     qb.begin() + static_cast<long>(ql3 + (d.v6 ? 40 : 20) + 8));
	PacketSpec s;
	s.net = d.v6 ? Net::Ipv6 : Net::Ipv4;
	s.proto = d.v6 ? 58 : 1;
	s.icmp_type = d.v6 ? 2 : 3;
	s.src4 = 0xc6120063;
	s.src6_last = 0x99;
	s.dst4 = d.addr4;
	s.dst6_last = d.last6;
	s.payload = quoted;
	Bytes b = build(s);
	std::size_t l4 = testing::l4_offset(s);
	if (!d.v6) { // code 4: fragmentation needed
		b[l4 + 1] = 4;
		b[l4 + 2] = b[l4 + 3] = 0;
		uint16_t c = static_cast<uint16_t>(~testing::ref_sum(b.data() + l4, b.size() - l4));
		b[l4 + 2] = static_cast<uint8_t>(c >> 8);
		b[l4 + 3] = static_cast<uint8_t>(c);
	}
	host::RunResult r = run(w, b);
	int vip = vip_for(w.m, d.v6, d.addr4, d.last6, d.port, d.proto);
	std::string what = "icmp for vip " + std::to_string(v);
	if (vip < 0) {
		check(r.verdict == kPass && r.data == b,
		      "ICMP about no configured VIP passes untouched", what);
		return;
	}
	const ModelVip &mv = w.m.vips[vip];
	auto conn = w.m.conns.find({flow, vip});
	std::optional<int> keep;
	if (conn != w.m.conns.end() && mv.backends.count(conn->second))
		keep = conn->second;
	if (r.verdict == kDrop) {
		check(!keep && !mv.any_active(), "ICMP too-big is dropped only without a backend",
		      what);
		return;
	}
	PacketSpec c = client_spec(v, flow);
	Bytes cb = build(c);
	std::size_t cl3 = testing::l3_offset(c);
	uint32_t hash = lb::flow_hash(flow_key(d.v6, cb.data() + cl3 + (d.v6 ? 8 : 12),
					       cb.data() + cl3 + (d.v6 ? 24 : 16), c.sport, c.dport,
					       c.proto));
	lb::IpAddress to = check_encap(b, r.data, testing::l3_offset(s), d.v6, hash, 0);
	int be = model_backend(w.m, vip, to);
	check(be >= 0, "ICMP too-big goes to a configured backend of the VIP", what);
	if (keep)
		check(be == *keep, "ICMP too-big goes to the flow's own backend", what);
	else
		check(!mv.backends.at(be).draining,
		      "ICMP too-big without a flow: an active backend", what);
}

// A control-plane call: throws exactly when the model says it must.
template <class F>
void control(bool must_fail, const char *what, F &&f)
{
	bool failed = false;
	try {
		f();
	} catch (const Error &) {
		failed = true;
	}
	if (failed != must_fail)
		fail(must_fail ? "the control plane refuses what is wrong"
			       : "the control plane accepts what is right",
		     what);
}

// Zeroes the first n entries of an array map on every CPU (the host keeps an entry's
// per-CPU values side by side, entries in order: one block).
void zero_entries(host::MapBase *m, uint32_t n)
{
	unsigned cpus = is_per_cpu(m->kind()) ? host::kHostCpus : 1;
	uint32_t first = 0, last = n - 1;
	uint8_t *p = m->lookup_cpu(&first, 0);
	uint8_t *q = m->lookup_cpu(&last, cpus - 1);
	std::size_t len = std::size_t{n} * cpus * m->value_size();
	check(p != nullptr && q != nullptr && q + m->value_size() == p + len,
	      "a host array map is one block");
	std::memset(p, 0, len);
}

// Only what an input can have written: the hash maps, the backend slots the control plane
// may give out (kMaxSlots), their stats and next hops, and the Maglev tables of the VIP
// indices in use (at most six VIPs: indices 0-5).
void reset_maps(uint32_t ring)
{
	static host::MapBase *vips = host::find_map("lb", "lb_vips");
	static host::MapBase *backends = host::find_map("lb", "lb_backends");
	static host::MapBase *rings = host::find_map("lb", "lb_ring");
	static host::MapBase *conns = host::find_map("lb", "lb_conns");
	static host::MapBase *stats = host::find_map("lb", "lb_stats");
	static host::MapBase *nexthops = host::find_map("lb", "lb_nexthops");
	check(vips && backends && rings && conns && stats && nexthops, "the lb's maps exist");
	vips->clear();
	conns->clear();
	zero_entries(backends, kMaxSlots);
	zero_entries(nexthops, kMaxSlots);
	zero_entries(stats, lb::kBackendStatBase + kMaxSlots);
	zero_entries(rings, 6 * ring);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
	if (size > 4096)
		return 0;
	g_rx = host::find_program("lb", "lb_rx");
	check(g_rx != nullptr, "lb_rx is linked in");
	Reader in(data, size);
	World w;
	static const uint32_t rings[] = {13, 251, 1021, 13};
	uint8_t cfg = in.u8();
	w.ring = rings[cfg & 3];
	w.slots = cfg & 4 ? kSmallSlots : kMaxSlots;
	host::set_config("lb", "ring_size", w.ring);
	reset_maps(w.ring);
	w.lb = std::make_unique<lb::Balancer>(std::make_unique<HostLbMaps>(w.slots), w.ring);
	for (int ops = 0; !in.done() && ops < 200; ops++) {
		uint8_t op = in.u8() % lbop::kOps;
		switch (op) {
		case lbop::AddVip: {
			int v = in.u8() % 6;
			control(w.m.vips[v].present, kVips[v].text,
				[&] { w.lb->add_vip(lb::Service::parse(kVips[v].text)); });
			w.m.vips[v].present = true;
			break;
		}
		case lbop::DelVip: {
			int v = in.u8() % 6;
			control(!w.m.vips[v].present, kVips[v].text,
				[&] { w.lb->del_vip(lb::Service::parse(kVips[v].text)); });
			w.m.vips[v] = ModelVip{};
			std::erase_if(w.m.conns,
				      [&](const auto &c) { return c.first.second == v; });
			break;
		}
		case lbop::AddBackend:
		case lbop::DelBackend:
		case lbop::Drain: {
			int v = in.u8() % 6;
			uint8_t bsel = in.u8();
			int b = bsel % kBackends;
			bool wrong_family = bsel >= 0xf0;
			uint16_t weight = op == lbop::AddBackend ? in.u8() % 6 : 0;
			ModelVip &mv = w.m.vips[v];
			lb::IpAddress a = backend_addr(kVips[v].v6 != wrong_family, b);
			lb::Service svc = lb::Service::parse(kVips[v].text);
			std::string what = std::string(kVips[v].text) + " " + a.str();
			bool there = !wrong_family && mv.backends.count(b) > 0;
			if (op == lbop::AddBackend) {
				// A new backend needs a free slot; a known one changes in place.
				bool full = !there && w.m.slots_used() >= w.slots;
				bool wrong = !mv.present || wrong_family || weight == 0 || full;
				control(wrong, what.c_str(),
					[&] { w.lb->add_backend(svc, a, weight); });
				if (!wrong)
					mv.backends[b] = ModelBackend{weight, false};
			} else {
				control(!mv.present || !there, what.c_str(), [&] {
					if (op == lbop::DelBackend)
						w.lb->del_backend(svc, a);
					else
						w.lb->drain_backend(svc, a);
				});
				if (there && op == lbop::DelBackend) {
					mv.backends.erase(b);
					std::erase_if(w.m.conns, [&](const auto &c) {
						return c.first.second == v && c.second == b;
					});
				} else if (there) {
					mv.backends[b].draining = true;
				}
			}
			break;
		}
		case lbop::Packet: {
			uint8_t target = in.u8(), flow = in.u8(), kind = in.u8(), encap = in.u8();
			w.cpu = encap >> 6;
			Sent s = make_packet(w.m, target, flow, kind, encap);
			if (s.vip >= 0)
				w.last_vip_packet = s.bytes;
			packet(w, s);
			break;
		}
		case lbop::IcmpTooBig: {
			uint8_t v = in.u8(), f = in.u8();
			icmp_too_big(w, v, f);
			break;
		}
		case lbop::Garbage: {
			std::string g = in.bytes(14 + in.u8());
			if (g.size() >= 14)
				any_packet(w, Bytes(g.begin(), g.end()));
			break;
		}
		default: { // Mutant
			uint8_t target = in.u8(), flow = in.u8(), at = in.u8(), byte = in.u8();
			Sent s = make_packet(w.m, target, flow, 1, 0);
			Bytes b = s.bytes;
			b[at % b.size()] = byte;
			any_packet(w, b);
			break;
		}
		}
	}
	// The hash maps' entries go with the input: a run that frees what it allocated is not
	// run again by libFuzzer's leak check.
	for (const char *name : {"lb_vips", "lb_conns"})
		host::find_map("lb", name)->clear();
	return 0;
}
