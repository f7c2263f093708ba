// The LB fixture cases as data (see lb_fixtures.hpp); they follow lb_fixture_test.cpp.
#include "lb_fixtures.hpp"

#include <utility>

namespace netext::testing::lbfix {

using lb::Balancer;
using lb::IpAddress;
using lb::Service;

namespace {

constexpr Verdict kDrop = XdpAction::Drop, kPass = XdpAction::Pass, kTx = XdpAction::Tx,
		  kRedirect = XdpAction::Redirect;

// A packet and what it must give (the output: if known).
LbStep send(std::string name, const Bytes &in, Verdict verdict = {},
	    std::optional<Bytes> out = std::nullopt)
{
	LbStep st;
	st.name = std::move(name);
	st.app = "lb";
	st.program = "lb_rx";
	st.input = in;
	st.verdict = verdict;
	st.output = std::move(out);
	return st;
}

LbStep change(std::string name, std::function<void(Balancer &)> f)
{
	LbStep st;
	st.name = std::move(name);
	st.app = "lb";
	st.change = std::move(f);
	return st;
}

// A VIP with the given backends (weight 1 each).
LbStep setup(const Service &vip, std::vector<std::string> backends)
{
	return change("setup " + vip.str(), [vip, backends](Balancer &lb) {
		lb.add_vip(vip);
		for (const std::string &b : backends)
			lb.add_backend(vip, IpAddress::parse(b));
	});
}

} // namespace

Bytes icmp_too_big4(const PacketSpec &f)
{
	PacketSpec reply = f;
	std::swap(reply.src4, reply.dst4);
	std::swap(reply.sport, reply.dport);
	reply.tcp_flags = 0x10;
	Bytes quoted = build(reply);
	PacketSpec icmp;
	icmp.proto = 1;
	icmp.icmp_type = 3;
	icmp.src4 = 0xc6120063; // a router
	icmp.dst4 = f.dst4;
	icmp.payload.assign(quoted.begin() + 14, quoted.begin() + 14 + 28);
	Bytes in = build(icmp);
	in[l4_offset(icmp) + 1] = 4; // fragmentation needed
	return in;
}

Bytes icmp_too_big6(const PacketSpec &f)
{
	PacketSpec reply = f;
	std::swap(reply.src6_last, reply.dst6_last);
	std::swap(reply.sport, reply.dport);
	reply.tcp_flags = 0x10;
	Bytes quoted = build(reply);
	PacketSpec ptb;
	ptb.net = Net::Ipv6;
	ptb.proto = 58;
	ptb.icmp_type = 2; // packet too big
	ptb.src6_last = 0x63;
	ptb.dst6_last = f.dst6_last;
	ptb.payload.assign(quoted.begin() + 14, quoted.begin() + 14 + 48);
	return build(ptb);
}

std::vector<std::pair<std::string, Bytes>> malformed_headers(const PacketSpec &s)
{
	const Bytes good = build(s);
	const std::size_t l3 = l3_offset(s);
	std::vector<std::pair<std::string, Bytes>> out(4, {"", good});
	out[0].first = "bad ihl";
	out[0].second[l3] = 0x44;
	out[1].first = "bad version";
	out[1].second[l3] = 0x65;
	out[2].first = "long total length"; // past the frame
	out[2].second[l3 + 2] = 0x05;
	out[3].first = "bad data offset"; // 3 words
	out[3].second[l4_offset(s) + 12] = 0x30;
	return out;
}

std::vector<std::pair<std::string, PacketSpec>> vip_packet_variants()
{
	std::vector<std::pair<std::string, PacketSpec>> cases;
	cases.emplace_back("ipv4 tcp", flow());
	cases.emplace_back("ipv4 udp", flow(Net::Ipv4, 17));
	cases.emplace_back("ipv6 tcp", flow(Net::Ipv6, 6));
	cases.emplace_back("ipv6 udp", flow(Net::Ipv6, 17));
	PacketSpec vlan = flow();
	vlan.vlan_tpids = {0x8100};
	cases.emplace_back("vlan", vlan);
	PacketSpec qinq = flow(Net::Ipv6, 17);
	qinq.vlan_tpids = {0x88a8, 0x8100};
	cases.emplace_back("qinq ipv6", qinq);
	PacketSpec opts = flow();
	opts.ipv4_options = {0x01, 0x01, 0x01, 0x00};
	cases.emplace_back("ipv4 options", opts);
	PacketSpec padded = flow(Net::Ipv4, 17);
	padded.payload = text("x");
	padded.pad_to = 60;
	cases.emplace_back("link padding", padded);
	PacketSpec ext = flow(Net::Ipv6, 6);
	ext.ipv6_ext = {{0}, {60}};
	cases.emplace_back("ipv6 extension headers", ext);
	PacketSpec ack = flow();
	ack.tcp_flags = 0x10;
	cases.emplace_back("ack", ack);
	return cases;
}

std::vector<LbScenario> lb_scenarios()
{
	std::vector<LbScenario> all;

	// every variant of a VIP's packet, to a backend without a neighbour: encapsulated, passed
	for (const auto &[name, s] : vip_packet_variants()) {
		LbScenario sc{"encapsulated: " + name, {}};
		IpAddress be =
			IpAddress::parse(s.net == Net::Ipv6 ? "2001:db8:9::12" : "198.18.9.12");
		sc.steps.push_back(setup(vip_of(s), {be.str()}));
		Bytes in = build(s);
		sc.steps.push_back(send(name, in, kPass, encapsulated(s, in, be)));
		sc.steps.push_back(send(name + " again", in, kPass, encapsulated(s, in, be)));
		all.push_back(std::move(sc));
	}

	// Resolved next hops: redirected to t0 with the neighbour's MAC; arriving on t0 itself,
	// sent back out (XDP_TX). Then the cached next hop.
	for (Net net : {Net::Ipv4, Net::Ipv6}) {
		for (int proto : {6, 17}) {
			PacketSpec s = flow(net, static_cast<uint8_t>(proto));
			IpAddress be = IpAddress::parse(net == Net::Ipv6 ? kResolved6 : kResolved);
			LbScenario sc{std::string("resolved next hop ") +
					      (net == Net::Ipv6 ? "ipv6" : "ipv4") +
					      (proto == 6 ? " tcp" : " udp"),
				      {}};
			sc.steps.push_back(setup(vip_of(s), {be.str()}));
			Bytes in = build(s);
			for (int i = 0; i < 2; i++) {
				LbStep st = send(i ? "redirect (cached)" : "redirect", in,
						 kRedirect, encapsulated(s, in, be, kResolvedMac));
				st.egress_smac = true;
				sc.steps.push_back(st);
			}
			all.push_back(std::move(sc));
			LbScenario tx{sc.name + ", arriving on t0", {}};
			tx.steps.push_back(setup(vip_of(s), {be.str()}));
			for (int i = 0; i < 2; i++) {
				LbStep st = send(i ? "tx (cached)" : "tx", in, kTx,
						 encapsulated(s, in, be, kResolvedMac));
				st.egress_smac = true;
				st.ifname = "t0";
				tx.steps.push_back(st);
			}
			// a backend with no neighbour, arriving on t0: up the stack
			PacketSpec other = s;
			other.sport = 40001;
			tx.steps.push_back(change("backend without neighbour", [s,
										net](Balancer &lb) {
				lb.del_backend(vip_of(s),
					       IpAddress::parse(net == Net::Ipv6 ? kResolved6
										 : kResolved));
				lb.add_backend(vip_of(s),
					       IpAddress::parse(net == Net::Ipv6 ? "2001:db8:9::12"
										 : "198.18.9.12"));
			}));
			LbStep st = send("to the stack", build(other), kPass);
			st.ifname = "t0";
			tx.steps.push_back(st);
			all.push_back(std::move(tx));
		}
	}

	{ // no route at all for the backend: up the stack, encapsulated
		PacketSpec s = flow();
		IpAddress be = IpAddress::parse("198.18.200.1");
		LbScenario sc{"backend without a route", {}};
		sc.steps.push_back(setup(vip_of(s), {be.str()}));
		Bytes in = build(s);
		sc.steps.push_back(send("no route", in, kPass, encapsulated(s, in, be)));
		PacketSpec s6 = flow(Net::Ipv6);
		IpAddress be6 = IpAddress::parse("2001:db8:200::1");
		sc.steps.push_back(setup(vip_of(s6), {be6.str()}));
		Bytes in6 = build(s6);
		sc.steps.push_back(send("no route ipv6", in6, kPass, encapsulated(s6, in6, be6)));
		all.push_back(std::move(sc));
	}

	{ // not for a VIP: untouched
		PacketSpec s = flow();
		LbScenario sc{"non-VIP traffic passes untouched", {}};
		sc.steps.push_back(setup(vip_of(s), {"198.18.9.12"}));
		std::vector<std::pair<const char *, PacketSpec>> others;
		PacketSpec port = s;
		port.dport = 81;
		others.emplace_back("other port", port);
		PacketSpec proto = s;
		proto.proto = 17;
		others.emplace_back("other protocol", proto);
		PacketSpec addr = s;
		addr.dst4 = 0xc6120003;
		others.emplace_back("other address", addr);
		others.emplace_back("ipv6", flow(Net::Ipv6));
		PacketSpec icmp = s;
		icmp.proto = 1;
		others.emplace_back("icmp", icmp);
		PacketSpec arp;
		arp.net = Net::Arp;
		others.emplace_back("arp", arp);
		PacketSpec frag = s;
		frag.ipv4_frag = 0x2000;
		others.emplace_back("fragment", frag);
		for (const auto &[name, o] : others) {
			Bytes in = build(o);
			sc.steps.push_back(send(name, in, kPass, in));
		}
		all.push_back(std::move(sc));
	}

	{ // a VIP without backends drops
		PacketSpec s = flow();
		LbScenario sc{"VIP without backends drops", {}};
		sc.steps.push_back(setup(vip_of(s), {}));
		sc.steps.push_back(send("no backend", build(s), kDrop));
		sc.steps.push_back(change("add and delete a backend", [s](Balancer &lb) {
			lb.add_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
			lb.del_backend(vip_of(s), IpAddress::parse("198.18.9.12"));
		}));
		sc.steps.push_back(send("no backend again", build(s), kDrop));
		all.push_back(std::move(sc));
	}

	{ // malformed and truncated: untouched
		PacketSpec s = flow();
		LbScenario sc{"malformed and truncated pass untouched", {}};
		sc.steps.push_back(setup(vip_of(s), {"198.18.9.12"}));
		Bytes good = build(s);
		for (std::size_t n = 14; n < good.size(); n++) {
			Bytes in(good.begin(), good.begin() + static_cast<long>(n));
			sc.steps.push_back(
				send("truncated to " + std::to_string(n), in, kPass, in));
		}
		for (const auto &[name, in] : malformed_headers(s))
			sc.steps.push_back(send(name, in, kPass, in));
		all.push_back(std::move(sc));
	}

	{ // weighted shares over many flows
		PacketSpec s = flow();
		LbScenario sc{"shares follow weights", {}};
		sc.steps.push_back(change("two backends, 1:3", [s](Balancer &lb) {
			lb.add_vip(vip_of(s));
			lb.add_backend(vip_of(s), IpAddress::parse("198.18.9.12"), 1);
			lb.add_backend(vip_of(s), IpAddress::parse("198.18.9.13"), 3);
		}));
		for (int i = 0; i < 400; i++) {
			PacketSpec f = s;
			f.sport = static_cast<uint16_t>(10000 + i);
			f.src4 = 0xc6120100 + static_cast<uint32_t>(i % 7);
			sc.steps.push_back(send("flow " + std::to_string(i), build(f), kPass));
		}
		all.push_back(std::move(sc));
	}

	{ // established flows keep their backend when one is added; new flows use the new table
		PacketSpec s = flow();
		LbScenario sc{"established flows keep their backend", {}};
		sc.steps.push_back(setup(vip_of(s), {"198.18.9.12", "198.18.9.13"}));
		std::vector<PacketSpec> acks;
		for (int i = 0; i < 100; i++) {
			PacketSpec f = s;
			f.sport = static_cast<uint16_t>(20000 + i);
			sc.steps.push_back(send("syn " + std::to_string(i), build(f), kPass));
			f.tcp_flags = 0x10;
			acks.push_back(f);
		}
		sc.steps.push_back(change("add a third backend", [s](Balancer &lb) {
			lb.add_backend(vip_of(s), IpAddress::parse("198.18.9.14"));
		}));
		for (std::size_t i = 0; i < acks.size(); i++) {
			sc.steps.push_back(send("ack " + std::to_string(i), build(acks[i]), kPass));
			PacketSpec syn = acks[i];
			syn.tcp_flags = 0x02;
			syn.sport = static_cast<uint16_t>(syn.sport + 1000);
			sc.steps.push_back(send("new syn " + std::to_string(i), build(syn), kPass));
		}
		all.push_back(std::move(sc));
	}

	{ // drain, then delete (IPv6 UDP); a TCP SYN always consults the table
		PacketSpec s = flow(Net::Ipv6, 17);
		Service vip = vip_of(s);
		LbScenario sc{"drained backend keeps its flows", {}};
		sc.steps.push_back(setup(vip, {"2001:db8:9::12", "2001:db8:9::13"}));
		auto flows = [&](const char *what, int base) {
			for (int i = 0; i < 60; i++) {
				PacketSpec f = s;
				f.sport = static_cast<uint16_t>(base + i);
				sc.steps.push_back(send(std::string(what) + std::to_string(i),
							build(f), kPass));
			}
		};
		flows("flow ", 30000);
		sc.steps.push_back(change("drain", [vip](Balancer &lb) {
			lb.drain_backend(vip, IpAddress::parse("2001:db8:9::13"));
		}));
		flows("old flow, draining ", 30000);
		flows("new flow, draining ", 40000);
		sc.steps.push_back(change("delete", [vip](Balancer &lb) {
			lb.del_backend(vip, IpAddress::parse("2001:db8:9::13"));
		}));
		flows("old flow, deleted ", 30000);
		all.push_back(std::move(sc));

		PacketSpec t = flow();
		LbScenario syn{"a TCP SYN always consults the table", {}};
		syn.steps.push_back(setup(vip_of(t), {"198.18.9.12", "198.18.9.13"}));
		for (int i = 0; i < 40; i++) {
			PacketSpec f = t;
			f.sport = static_cast<uint16_t>(30000 + i);
			syn.steps.push_back(send("syn " + std::to_string(i), build(f), kPass));
		}
		syn.steps.push_back(change("drain", [t](Balancer &lb) {
			lb.drain_backend(vip_of(t), IpAddress::parse("198.18.9.13"));
		}));
		for (int i = 0; i < 40; i++) {
			PacketSpec f = t;
			f.sport = static_cast<uint16_t>(30000 + i);
			syn.steps.push_back(
				send("syn again " + std::to_string(i), build(f), kPass));
		}
		all.push_back(std::move(syn));
	}

	{ // ICMP fragmentation needed / ICMPv6 packet too big: to the flow's backend
		PacketSpec s = flow();
		LbScenario sc{"ICMP too big goes to the flow's backend", {}};
		sc.steps.push_back(setup(vip_of(s), {"198.18.9.12", "198.18.9.13"}));
		for (int i = 0; i < 20; i++) {
			PacketSpec f = s;
			f.sport = static_cast<uint16_t>(50000 + i);
			sc.steps.push_back(send("flow " + std::to_string(i), build(f), kPass));
			sc.steps.push_back(
				send("icmp " + std::to_string(i), icmp_too_big4(f), kPass));
		}
		PacketSpec s6 = flow(Net::Ipv6, 6);
		sc.steps.push_back(setup(vip_of(s6), {"2001:db8:9::12", kResolved6}));
		for (int i = 0; i < 20; i++) {
			PacketSpec f = s6;
			f.sport = static_cast<uint16_t>(51000 + i);
			sc.steps.push_back(send("flow6 " + std::to_string(i), build(f)));
			sc.steps.push_back(send("ptb " + std::to_string(i), icmp_too_big6(f)));
		}
		// a flow never seen: the table decides; other ICMPv6 passes untouched
		PacketSpec unknown = s;
		unknown.sport = 1;
		sc.steps.push_back(send("icmp, unknown flow", icmp_too_big4(unknown), kPass));
		PacketSpec echo;
		echo.net = Net::Ipv6;
		echo.proto = 58;
		echo.icmp_type = 128;
		Bytes in = build(echo);
		sc.steps.push_back(send("icmpv6 echo", in, kPass, in));
		all.push_back(std::move(sc));
	}

	{ // control-plane churn: VIPs deleted and re-added, weights changed
		PacketSpec s = flow(Net::Ipv4, 17);
		Service vip = vip_of(s);
		LbScenario sc{"VIP deleted and re-added", {}};
		sc.steps.push_back(setup(vip, {"198.18.9.12", kResolved}));
		for (int i = 0; i < 20; i++) {
			PacketSpec f = s;
			f.sport = static_cast<uint16_t>(60000 + i);
			sc.steps.push_back(send("flow " + std::to_string(i), build(f)));
		}
		sc.steps.push_back(
			change("delete the VIP", [vip](Balancer &lb) { lb.del_vip(vip); }));
		Bytes in = build(s);
		sc.steps.push_back(send("deleted VIP", in, kPass, in));
		sc.steps.push_back(change("re-add with a weighted backend", [vip](Balancer &lb) {
			lb.add_vip(vip);
			lb.add_backend(vip, IpAddress::parse(kResolved), 5);
			lb.add_backend(vip, IpAddress::parse("198.18.9.12"), 1);
		}));
		for (int i = 0; i < 20; i++) {
			PacketSpec f = s;
			f.sport = static_cast<uint16_t>(60000 + i);
			sc.steps.push_back(send("flow again " + std::to_string(i), build(f)));
		}
		all.push_back(std::move(sc));
	}
	return all;
}

std::vector<Bytes> lb_mutants(unsigned per_packet, unsigned seed)
{
	std::vector<Bytes> seeds;
	for (const LbScenario &sc : lb_scenarios())
		for (const LbStep &st : sc.steps)
			if (st.has_frame() && seeds.size() < 64 &&
			    (seeds.empty() || seeds.back() != st.input))
				seeds.push_back(st.input);
	uint32_t x = seed ? seed : 1;
	auto next = [&x]() {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		return x;
	};
	std::vector<Bytes> out;
	for (const Bytes &in : seeds) {
		for (unsigned i = 0; i < per_packet; i++) {
			Bytes m = in;
			switch (next() % 4) {
			case 0:
			case 1: { // flip bytes in the headers
				unsigned flips = 1 + next() % 3;
				for (unsigned f = 0; f < flips; f++) {
					std::size_t at =
						next() % std::min<std::size_t>(m.size(), 90);
					m[at] ^= static_cast<uint8_t>(1u << (next() % 8));
				}
				break;
			}
			case 2: // truncate (not below Ethernet)
				m.resize(14 + next() % (m.size() - 13));
				break;
			default: // extend
				m.resize(m.size() + 1 + next() % 64, static_cast<uint8_t>(next()));
				break;
			}
			out.push_back(std::move(m));
		}
	}
	return out;
}

} // namespace netext::testing::lbfix
