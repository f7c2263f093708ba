#include "fixtures.hpp"

#include <algorithm>
#include <random>

namespace netext::testing {

namespace {
constexpr Verdict kXdpPass = XdpAction::Pass, kXdpTx = XdpAction::Tx, kTcOk = TcAction::Ok;
using Net = PacketSpec::Net;

// Cases that each give a verdict and an output.
struct Cases {
	std::vector<Fixture<>> all;
	void add(std::string name, std::string app, std::string program, const Bytes &in,
		 Verdict verdict, const Bytes &out)
	{
		Fixture<> f;
		f.name = std::move(name);
		f.app = std::move(app);
		f.program = std::move(program);
		f.input = in;
		f.verdict = verdict;
		f.output = out;
		all.push_back(std::move(f));
	}
};
} // namespace

Bytes echo_reply(PacketSpec s)
{
	std::swap(s.sport, s.dport);
	std::swap(s.src4, s.dst4);
	std::swap(s.src6_last, s.dst6_last);
	s.ttl = 64;
	s.pad_to = 0;
	Bytes b = build(s);
	std::swap_ranges(b.begin(), b.begin() + 6, b.begin() + 6); // MACs
	return b;
}

std::vector<Fixture<>> app_fixtures()
{
	Cases f;
	auto passthrough = [&](const std::string &name, const Bytes &b) {
		f.add(name, "counter", "count_xdp", b, kXdpPass, b);
		f.add(name, "counter", "count_tc_ingress", b, kTcOk, b);
		f.add(name, "counter", "count_tc_egress", b, kTcOk, b);
	};

	// Echo requests: IPv4/IPv6, 0/1/2 VLAN tags, IPv4 options, IPv6 extension headers,
	// a large payload, padding, a zero UDP checksum.
	for (Net net : {Net::Ipv4, Net::Ipv6}) {
		for (std::vector<uint16_t> tags :
		     {std::vector<uint16_t>{}, {0x8100}, {0x88a8, 0x8100}}) {
			PacketSpec s;
			s.net = net;
			s.vlan_tpids = tags;
			s.ttl = 9;
			s.payload = text("netext echo");
			std::string name = std::string(net == Net::Ipv4 ? "v4" : "v6") + "_vlan" +
					   std::to_string(tags.size());
			f.add("echo_" + name, "echo", "echo_xdp", build(s), kXdpTx, echo_reply(s));
			passthrough("udp_" + name, build(s));
		}
	}
	PacketSpec opts;
	opts.ipv4_options = {0x94, 0x04, 0, 0, 1, 1, 1, 0};
	opts.payload = text("options");
	f.add("echo_v4_options", "echo", "echo_xdp", build(opts), kXdpTx, echo_reply(opts));
	PacketSpec ext;
	ext.net = Net::Ipv6;
	ext.ipv6_ext = {{0, 8}, {60, 16}};
	ext.payload = text("ext");
	f.add("echo_v6_ext", "echo", "echo_xdp", build(ext), kXdpTx, echo_reply(ext));
	PacketSpec big;
	big.payload.resize(1400);
	for (std::size_t i = 0; i < big.payload.size(); i++)
		big.payload[i] = static_cast<uint8_t>(i * 7);
	f.add("echo_v4_1400", "echo", "echo_xdp", build(big), kXdpTx, echo_reply(big));
	big.net = Net::Ipv6;
	big.payload.resize(1401);
	f.add("echo_v6_1401", "echo", "echo_xdp", build(big), kXdpTx, echo_reply(big));
	PacketSpec pad;
	pad.payload = text("p");
	pad.pad_to = 60;
	pad.udp_zero_checksum = true;
	f.add("echo_padded_nocsum", "echo", "echo_xdp", build(pad), kXdpTx, echo_reply(pad));

	// CHECKSUM_PARTIAL, as a veth peer or an offloading sender hands it over: the UDP
	// checksum field holds only the (uninverted) pseudo-header sum. The reply's is full.
	for (Net net : {Net::Ipv4, Net::Ipv6}) {
		PacketSpec partial;
		partial.net = net;
		partial.payload = text("offloaded");
		Bytes in = build(partial);
		std::size_t check = l4_offset(partial) + 6;
		in[check] = 0x12; // any value the sender's NIC would have replaced
		in[check + 1] = 0x34;
		f.add(std::string("echo_partial_checksum_") + (net == Net::Ipv4 ? "v4" : "v6"),
		      "echo", "echo_xdp", in, kXdpTx, echo_reply(partial));
	}

	// Traffic the echo app must leave alone.
	PacketSpec other;
	other.dport = 53;
	f.add("echo_other_port", "echo", "echo_xdp", build(other), kXdpPass, build(other));
	PacketSpec tcp;
	tcp.proto = 6;
	passthrough("tcp_v4", build(tcp));
	f.add("echo_tcp", "echo", "echo_xdp", build(tcp), kXdpPass, build(tcp));
	PacketSpec frag;
	frag.ipv4_frag = 0x2000;
	f.add("echo_fragment", "echo", "echo_xdp", build(frag), kXdpPass, build(frag));
	PacketSpec icmp6;
	icmp6.net = Net::Ipv6;
	icmp6.proto = 58;
	passthrough("icmp6", build(icmp6));
	PacketSpec arp;
	arp.net = Net::Arp;
	passthrough("arp", build(arp));
	f.add("echo_arp", "echo", "echo_xdp", build(arp), kXdpPass, build(arp));
	// Packet edits at their edges (tests/programs/edits.cpp): payload byte 0 is how much
	// to grow the head, byte 1 how much to trim the tail.
	auto edit_input = [](uint8_t grow, uint8_t trim, std::size_t size) {
		Bytes b(size, 0xab);
		b[14] = grow;
		b[15] = trim;
		return b;
	};
	auto edited = [](const Bytes &in, uint8_t grow, uint8_t trim) {
		Bytes out(grow, 0);
		if (grow >= 4)
			std::copy_n("NX!?", 4, out.begin());
		out.insert(out.end(), in.begin(), in.end() - trim);
		return out;
	};
	for (auto [grow, trim] : {std::pair<uint8_t, uint8_t>{0, 0}, {4, 2}, {64, 20}, {200, 0}}) {
		Bytes in = edit_input(grow, trim, 80);
		f.add("edit_grow" + std::to_string(grow) + "_trim" + std::to_string(trim), "edits",
		      "edits_xdp", in, kXdpTx, edited(in, grow, trim));
	}
	// The tail may not be trimmed below an Ethernet header: head grown, trim refused.
	Bytes short_in = edit_input(8, 80, 80);
	f.add("edit_trim_too_far", "edits", "edits_xdp", short_in, kXdpPass,
	      edited(short_in, 8, 0));
	// tc: change_tail to an absolute length, longer (zero-filled) or shorter.
	for (uint8_t len : {uint8_t{20}, uint8_t{100}}) {
		Bytes in(60, 0x11);
		in[14] = len;
		Bytes out(in.begin(), in.begin() + std::min<std::size_t>(in.size(), len + 14u));
		out.resize(len + 14u, 0);
		f.add("tc_change_tail_" + std::to_string(len), "edits", "edits_tc", in, kTcOk, out);
	}

	Bytes truncated = build(PacketSpec{});
	truncated.resize(40);
	passthrough("truncated", truncated);
	f.add("echo_truncated", "echo", "echo_xdp", truncated, kXdpPass, truncated);
	return f.all;
}

std::vector<Bytes> mutated_corpus(unsigned per_fixture, unsigned seed)
{
	std::mt19937 rng(seed);
	std::vector<Bytes> out;
	for (const Fixture<> &fx : app_fixtures()) {
		if (fx.program != "count_xdp" && fx.app != "echo" && fx.app != "edits")
			continue; // one copy of each input
		for (unsigned i = 0; i < per_fixture; i++) {
			Bytes b = fx.input;
			switch (rng() % 4) {
			case 0: // flip a few bytes, anywhere
				for (unsigned k = 0, n = 1 + rng() % 4; k < n; k++)
					b[rng() % b.size()] ^=
						static_cast<uint8_t>(1 + rng() % 255);
				break;
			case 1: // flip bytes in the headers, where parsing decisions are made
				for (unsigned k = 0, n = 1 + rng() % 3; k < n; k++)
					b[rng() % std::min<std::size_t>(b.size(), 80)] =
						static_cast<uint8_t>(rng());
				break;
			case 2: // truncate (kernel and host both refuse < 14 bytes)
				b.resize(14 + rng() % (b.size() - 13));
				break;
			default: // append garbage
				for (unsigned k = 0, n = 1 + rng() % 64; k < n; k++)
					b.push_back(static_cast<uint8_t>(rng()));
				break;
			}
			out.push_back(std::move(b));
		}
	}
	return out;
}

} // namespace netext::testing
