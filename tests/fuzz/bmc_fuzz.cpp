// libFuzzer target for the BMC app on the host backend (ASan + UBSan): each input is a
// sequence of events -- UDP GETs of 1..32 keys, UDP and TCP commands that change keys, TCP
// connections (seen starting or not) whose streams are cut into segments at arbitrary
// points, retransmitted or skipped, IPv4 fragments, memcached running what it received
// (its answers going out through bmc_tx, where they fill the cache), time moving on,
// garbage -- decoded by the ops of app_fuzz.hpp.
//
// Beside the process, a model of memcached (its framing is tests/support/memcached_model.hpp,
// the same the parser fuzz target and unit tests hold the parser to) receives exactly what
// BMC passes and runs it when the input says, but always within grace_ms of BMC seeing it
// (BMC's one assumption). Invariants, each of which aborts with its name:
//   * bmc_rx returns Pass (bytes untouched) or Tx; bmc_tx returns Ok, bytes untouched;
//   * a Tx is a well-formed reply (addresses, ports swapped, lengths, IPv4 header and UDP
//     checksums valid, the request id kept) whose every VALUE is memcached's current item
//     for that key (flags, data, cas if shown), with no command memcached has received but
//     not yet run changing it (an invalidating command BMC saw), and no flush pending.
// Expiry times and delayed flush_all are not modelled (items never expire in the model; a
// `flush_all <delay>` changes nothing): BMC cannot follow them (see the report in the note).
#include <netext/config.hpp>
#include <netext/host/runtime.hpp>
#include <netext/maps.hpp>
#include <netext/parsers.hpp>
#include <netext/verdict.hpp>

#include <algorithm>
#include <climits>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "app_fuzz.hpp"
#include "bmc.hpp"
#include "frame.hpp"
#include "memcached_model.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::fuzz;
using netext::testing::Bytes;
using netext::testing::McReading;
using netext::testing::memcached_reads;
using netext::testing::PacketSpec;

// tick_now() and the coarse clock, while a program runs: the virtual clock.
extern "C" int clock_gettime(clockid_t clk, struct timespec *ts)
{
	// Only the clocks the SDK reads: libFuzzer's own timers (CLOCK_REALTIME, read from its
	// alarm handler, which may interrupt a program) keep real time.
	if (g_virtual_clock && (clk == CLOCK_MONOTONIC || clk == CLOCK_MONOTONIC_COARSE)) {
		ts->tv_sec = static_cast<time_t>(g_now_ns / 1'000'000'000u);
		ts->tv_nsec = static_cast<long>(g_now_ns % 1'000'000'000u);
		return 0;
	}
	return static_cast<int>(syscall(SYS_clock_gettime, clk, ts));
}

namespace {

constexpr uint16_t kPort = bmc::kDefaultPort;
constexpr int kPass = static_cast<int>(XdpAction::Pass), kTx = static_cast<int>(XdpAction::Tx);
constexpr std::size_t kMaxFrame = 3400; // what host::run takes, with margin

// ---- the world: clients, keys, values --------------------------------------------------

struct Client {
	bool v6;
	uint32_t addr4;
	uint8_t addr6_last;
	uint16_t port;
};
constexpr Client kClients[4] = {{false, 0xc6120001, 0, 40000},
				{false, 0xc6120003, 0, 40001},
				{true, 0, 1, 40000},
				{true, 0, 5, 40002}};

const std::string kKeys[12] = {"a",	  "b",
			       "c",	  "k1",
			       "k2",	  "key:3",
			       "withcas", "d",
			       "x",	  std::string(250, 'K'),
			       "Z",	  std::string(40, 'q')};

std::string value_of(Reader &in)
{
	uint8_t v = in.u8();
	switch (v % 10) {
	case 0: return "1";
	case 1: return "two";
	case 2: return "";
	case 3: return "10";
	case 4: return "18446744073709551615";
	case 5: return std::string(37, 'g');
	case 6: return std::string(600, 'v');
	case 7: return std::string(1001, 'w');	// past the default value limit
	case 8: return "get a\r\ndelete b\r\n"; // a value that looks like commands
	default: return in.bytes(v / 10 % 24);
	}
}

// The packet's spec: client -> memcached (to_server) or back, with an encapsulation.
PacketSpec spec(const Client &c, uint8_t encap, bool to_server, uint8_t proto)
{
	PacketSpec s;
	s.net = c.v6 ? PacketSpec::Net::Ipv6 : PacketSpec::Net::Ipv4;
	s.proto = proto;
	s.src4 = c.addr4;
	s.dst4 = 0xc6120002;
	s.src6_last = c.addr6_last;
	s.dst6_last = 2;
	s.sport = c.port;
	s.dport = kPort;
	switch (encap % 4) {
	case 1: s.vlan_tpids = {0x8100}; break;
	case 2: s.vlan_tpids = {0x88a8, 0x8100}; break;
	case 3:
		if (c.v6)
			s.ipv6_ext = {{60, 8}};
		else
			s.ipv4_options = {0x01, 0x01, 0x01, 0x00};
		break;
	default: break;
	}
	if (!to_server) {
		std::swap(s.src4, s.dst4);
		std::swap(s.src6_last, s.dst6_last);
		std::swap(s.sport, s.dport);
	}
	return s;
}

Bytes frame_header(uint16_t id, uint16_t seq = 0, uint16_t count = 1)
{
	return {static_cast<uint8_t>(id >> 8),
		static_cast<uint8_t>(id),
		static_cast<uint8_t>(seq >> 8),
		static_cast<uint8_t>(seq),
		static_cast<uint8_t>(count >> 8),
		static_cast<uint8_t>(count),
		0,
		0};
}

Bytes with_text(Bytes b, const std::string &t)
{
	b.insert(b.end(), t.begin(), t.end());
	return b;
}

// ---- the model of memcached --------------------------------------------------------------

struct Item {
	std::string data;
	uint32_t flags = 0;
	uint64_t cas = 0;
};

// A command memcached read whole: its tokens, and the data block of a storage command.
struct Cmd {
	std::vector<std::string> tokens;
	std::string data;
	bool stores = false;
	bool chunk_ok = false; // the block ended in "\r\n"
};

// Where memcached's answers to a UDP request go.
struct UdpFrom {
	int client;
	uint8_t encap;
	uint16_t id;
};

struct Pending {
	uint64_t seen_ns; // when BMC passed it
	int stream;	  // TCP: the endpoint; UDP: 100 + a serial
	std::vector<Cmd> cmds;
	std::optional<UdpFrom> udp;
};

bool delete_ok(const std::vector<std::string> &t)
{
	if (t.size() == 2)
		return true;
	if (t.size() == 3)
		return t[2] == "0" || t[2] == "noreply";
	return t.size() == 4 && t[2] == "0" && t[3] == "noreply";
}

bool strtoull_ok(const std::string &s, uint64_t &out)
{
	if (!netext::testing::safe_strtoull(s))
		return false;
	out = std::strtoull(s.c_str(), nullptr, 10);
	return true;
}

class Memcached {
public:
	std::map<std::string, Item> items;
	uint64_t next_cas = 1;

	// Runs one command (memcached 1.6.18, proto_text.c); the answer text of a get.
	std::string run(const Cmd &c)
	{
		const auto &t = c.tokens;
		if (t.empty())
			return "";
		const std::string &w = t[0];
		if (w == "get" || w == "gets") {
			std::string out;
			for (std::size_t i = 1; i < t.size(); i++) {
				auto it = items.find(t[i]);
				if (t[i].size() > 250 || it == items.end())
					continue;
				out += value_line(t[i], it->second, w == "gets");
			}
			return out + "END\r\n";
		}
		if (c.stores) {
			store(c);
			return "";
		}
		if (w == "delete" && t.size() >= 2 && t[1].size() <= 250 && delete_ok(t)) {
			items.erase(t[1]);
		} else if ((w == "incr" || w == "decr") && (t.size() == 3 || t.size() == 4) &&
			   t[1].size() <= 250) {
			arith(t[1], t[2], w == "incr");
		} else if (w == "flush_all" && t.size() <= 3) {
			bool noreply = t.back() == "noreply";
			int32_t delay = 0;
			if (t.size() != (noreply ? 2u : 1u) &&
			    !netext::testing::safe_strtol(t[1], delay))
				return "";
			if (delay <= 0)
				items.clear();
			// a delayed flush is not modelled (see the top)
		}
		return "";
	}

	static std::string value_line(const std::string &key, const Item &it, bool cas)
	{
		return "VALUE " + key + " " + std::to_string(it.flags) + " " +
		       std::to_string(it.data.size()) + (cas ? " " + std::to_string(it.cas) : "") +
		       "\r\n" + it.data + "\r\n";
	}

private:
	void store(const Cmd &c)
	{
		const auto &t = c.tokens;
		if (!c.chunk_ok || c.data.size() > 1024 * 1024)
			return; // bad data chunk / too large: not stored
		const std::string &w = t[0], &key = t[1];
		auto it = items.find(key);
		bool present = it != items.end();
		auto flags = static_cast<uint32_t>(std::strtoul(t[2].c_str(), nullptr, 10));
		if ((w == "add" && present) ||
		    ((w == "replace" || w == "append" || w == "prepend" || w == "cas") && !present))
			return;
		if (w == "cas" && std::strtoull(t[5].c_str(), nullptr, 10) != it->second.cas)
			return;
		Item n{c.data, flags, next_cas++};
		if (w == "append" || w == "prepend") {
			n.flags = it->second.flags;
			n.data =
				w == "append" ? it->second.data + c.data : c.data + it->second.data;
		}
		items[key] = n;
	}

	void arith(const std::string &key, const std::string &delta_text, bool incr)
	{
		uint64_t delta = 0, value = 0;
		auto it = items.find(key);
		if (!strtoull_ok(delta_text, delta) || it == items.end() ||
		    it->second.data.empty() || !strtoull_ok(it->second.data, value))
			return;
		value = incr ? value + delta : (delta > value ? 0 : value - delta);
		std::string res = std::to_string(value);
		Item &i = it->second;
		if (res.size() <= i.data.size()) // in place, padded with spaces
			i.data = res + std::string(i.data.size() - res.size(), ' ');
		else
			i.data = res;
		i.cas = next_cas++;
	}
};

// Cuts complete commands off the front of `text` as memcached reads a stream: returns how
// many bytes they took; `closed` if memcached would close the connection (a line too long).
std::size_t frame_commands(const std::string &text, std::vector<Cmd> &out, bool &closed)
{
	std::size_t pos = 0;
	while (pos < text.size()) {
		McReading r = memcached_reads(text.data() + pos, text.size() - pos);
		if (!r.line) {
			std::string_view rest(text.data() + pos, text.size() - pos);
			if (rest.size() > 2048 && rest.rfind("get ", 0) != 0 &&
			    rest.rfind("gets ", 0) != 0)
				closed = true;
			break;
		}
		std::size_t next = text.find('\n', pos) + 1;
		Cmd c;
		c.tokens = r.tokens;
		if (r.stores) {
			auto len = static_cast<std::size_t>(r.data_len);
			if (text.size() - next < len + 2)
				break; // the data block is not all there yet
			c.stores = true;
			c.data = text.substr(next, len);
			c.chunk_ok = text.compare(next + len, 2, "\r\n") == 0;
			next += len + 2;
		}
		out.push_back(std::move(c));
		pos = next;
		if (!out.back().tokens.empty() && out.back().tokens[0] == "quit") {
			closed = true;
			break;
		}
	}
	return pos;
}

// A TCP connection from one of the clients.
struct Conn {
	bool open = false;
	bool closed = false;			// memcached stopped reading it
	uint32_t isn = 0;			// sequence number of the stream's first byte
	std::string stream;			// everything the client will send, in order
	std::size_t sent = 0;			// bytes sent in order so far
	std::size_t delivered = 0;		// bytes the kernel gave memcached
	std::size_t parsed = 0;			// where memcached's next command starts
	std::map<std::size_t, std::size_t> ooo; // received beyond `delivered`: from -> to
};

// ---- the run -------------------------------------------------------------------------------

struct World {
	Memcached mc;
	std::deque<Pending> pending;
	Conn conns[4];
	int udp_serial = 0;
	uint32_t grace_ms = bmc::kDefaultGraceMs;
	Bytes last;
	unsigned cpu = 0;
	std::vector<Bytes> held; // second fragments sent later
};

const host::Program *g_rx, *g_tx;

host::RunResult run(const host::Program &p, const Bytes &pkt, unsigned cpu)
{
	host::RunResult r;
	host::RunOptions o;
	o.cpu = cpu % host::kHostCpus;
	g_virtual_clock = true;
	bool ran = host::run(p, pkt, r, o);
	g_virtual_clock = false;
	check(ran, "host::run takes the packet");
	return r;
}

void tx(World &w, const Bytes &pkt)
{
	host::RunResult r = run(*g_tx, pkt, w.cpu);
	check(r.verdict == static_cast<int>(TcAction::Ok), "bmc_tx returns Ok");
	check(r.data == pkt, "bmc_tx leaves the packet untouched");
}

std::string hex(const Bytes &b)
{
	std::string s;
	char buf[4];
	for (uint8_t x : b) {
		std::snprintf(buf, sizeof buf, "%02x", x);
		s += buf;
	}
	return s;
}

// The value memcached will hold for every key once it has run everything pending.
Memcached after_pending(const World &w)
{
	Memcached m = w.mc;
	for (const Pending &p : w.pending)
		for (const Cmd &c : p.cmds)
			m.run(c);
	return m;
}

uint16_t get16(const Bytes &b, std::size_t off)
{
	return static_cast<uint16_t>(b.at(off) << 8 | b.at(off + 1));
}

// A hit: a well-formed reply carrying memcached's current, settled items.
void check_reply(const World &w, const Bytes &in, const Bytes &out)
{
	testing::Frame frame(out); // at NET_IP_ALIGN, as drivers lay packets out
	PacketView v = frame.view();
	PacketInfo info;
	check(parse_packet(v, info) == Parse::Ok && info.l4 == L4::Udp, "a reply parses as UDP");
	std::size_t l3 = info.l3_off, l4 = info.l4info.off;
	check(in.size() > l4 + 16, "the request had a frame header");
	check(std::equal(out.begin(), out.begin() + 6, in.begin() + 6) &&
		      std::equal(out.begin() + 6, out.begin() + 12, in.begin()),
	      "reply MACs swapped");
	std::size_t udp_len = out.size() - l4;
	uint32_t pseudo = 0;
	if (info.l3 == L3::Ipv6) {
		check(std::equal(out.begin() + l3 + 8, out.begin() + l3 + 24,
				 in.begin() + l3 + 24) &&
			      std::equal(out.begin() + l3 + 24, out.begin() + l3 + 40,
					 in.begin() + l3 + 8),
		      "reply addresses swapped (IPv6)");
		check(get16(out, l3 + 4) == out.size() - l3 - 40, "IPv6 payload length");
		pseudo = testing::ref_sum(out.data() + l3 + 8, 32);
	} else {
		std::size_t ihl = (out[l3] & 0x0f) * 4u;
		check(std::equal(out.begin() + l3 + 12, out.begin() + l3 + 16,
				 in.begin() + l3 + 16) &&
			      std::equal(out.begin() + l3 + 16, out.begin() + l3 + 20,
					 in.begin() + l3 + 12),
		      "reply addresses swapped (IPv4)");
		check(get16(out, l3 + 2) == out.size() - l3, "IPv4 total length");
		// Updated incrementally: valid if the request's was (a garbage request's may not
		// be).
		check(testing::ref_sum(in.data() + l3, ihl) != 0xffff ||
			      testing::ref_sum(out.data() + l3, ihl) == 0xffff,
		      "IPv4 header checksum");
		pseudo = testing::ref_sum(out.data() + l3 + 12, 8);
	}
	pseudo += 17 + static_cast<uint32_t>(udp_len);
	check(get16(out, l4) == get16(in, l4 + 2) && get16(out, l4 + 2) == get16(in, l4),
	      "reply ports swapped");
	check(get16(out, l4 + 4) == udp_len, "UDP length");
	check(testing::ref_sum(out.data() + l4, udp_len, pseudo) == 0xffff, "UDP checksum");
	check(std::equal(out.begin() + l4 + 8, out.begin() + l4 + 10, in.begin() + l4 + 8) &&
		      get16(out, l4 + 10) == 0 && get16(out, l4 + 12) == 1,
	      "frame header: the request id, 0 of 1");
	// The text: VALUE lines, then END.
	std::string text(out.begin() + static_cast<long>(l4) + 16, out.end());
	Memcached settled = after_pending(w);
	std::size_t pos = 0;
	int values = 0;
	while (text.compare(pos, 6, "VALUE ") == 0) {
		std::size_t eol = text.find("\r\n", pos);
		check(eol != std::string::npos, "VALUE line ends");
		std::vector<std::string> tok;
		std::string line = text.substr(pos, eol - pos);
		for (std::size_t i = 0, e; i < line.size(); i = e + 1) {
			e = line.find(' ', i);
			if (e == std::string::npos)
				e = line.size();
			tok.push_back(line.substr(i, e - i));
		}
		check(tok.size() == 4 || tok.size() == 5, "VALUE line has 3 or 4 fields", line);
		std::size_t bytes = std::strtoul(tok[3].c_str(), nullptr, 10);
		std::string data = text.substr(eol + 2, bytes);
		check(text.compare(eol + 2 + bytes, 2, "\r\n") == 0, "data block ends in CRLF");
		const std::string &key = tok[1];
		auto now = w.mc.items.find(key);
		auto later = settled.items.find(key);
		auto detail = [&] {
			std::string d = "key '" + key.substr(0, 40) + "' served '" +
					data.substr(0, 40) + "' flags " + tok[2];
			if (now != w.mc.items.end())
				d += ", memcached has '" + now->second.data.substr(0, 40) + "'";
			return d;
		};
		if (now == w.mc.items.end())
			fail("a hit for a key memcached does not hold", detail());
		if (now->second.data != data || std::to_string(now->second.flags) != tok[2])
			fail("a hit serves memcached's current value", detail());
		if (tok.size() == 5 && tok[4] != std::to_string(now->second.cas))
			fail("a gets hit serves the current cas", detail());
		if (later == settled.items.end() || later->second.data != data ||
		    later->second.flags != now->second.flags)
			fail("no hit while memcached has a command changing the key still to run",
			     detail());
		pos = eol + 2 + bytes + 2;
		values++;
	}
	check(text.compare(pos, std::string::npos, "END\r\n") == 0 && values > 0,
	      "the reply ends in END after at least one VALUE");
}

// memcached runs a pending request: its changes apply, its GETs' answers go out through
// bmc_tx (UDP: one datagram per key found, END on the last, as memcached 1.6 answers).
void process(World &w, std::size_t index)
{
	Pending p = w.pending[index];
	w.pending.erase(w.pending.begin() + static_cast<long>(index));
	for (const Cmd &c : p.cmds) {
		std::string answer = w.mc.run(c);
		if (answer.empty())
			continue;
		if (p.udp) {
			const Client &cl = kClients[p.udp->client];
			std::vector<std::string> parts;
			for (std::size_t pos = 0; answer.compare(pos, 6, "VALUE ") == 0;) {
				std::size_t eol = answer.find("\r\n", pos);
				McReading r =
					memcached_reads(answer.data() + pos, answer.size() - pos);
				std::size_t bytes =
					std::strtoul(r.tokens.at(3).c_str(), nullptr, 10);
				std::size_t end = eol + 2 + bytes + 2;
				parts.push_back(answer.substr(pos, end - pos));
				pos = end;
			}
			if (parts.empty())
				parts.push_back("");
			parts.back() += "END\r\n";
			for (const std::string &part : parts) {
				PacketSpec s = spec(cl, p.udp->encap, false, 17);
				s.payload = with_text(frame_header(p.udp->id), part);
				Bytes b = build(s);
				if (b.size() <= kMaxFrame)
					tx(w, b);
			}
		} else if (p.stream < 4) {
			// Over TCP: BMC's tc program must ignore it.
			PacketSpec s = spec(kClients[p.stream], 0, false, 6);
			s.payload = testing::text(answer.substr(0, 1400));
			tx(w, build(s));
		}
	}
}

// Before time reaches `to`: memcached has run everything BMC saw grace_ms before.
void advance(World &w, uint64_t to)
{
	while (!w.pending.empty() &&
	       w.pending.front().seen_ns + uint64_t{w.grace_ms} * 1'000'000u <= to)
		process(w, 0);
	g_now_ns = to;
}

// Delivers a UDP datagram's payload to memcached (after BMC passed it).
void deliver_udp(World &w, int client, uint8_t encap, const Bytes &payload)
{
	if (payload.size() <= 8 || payload[4] != 0 || payload[5] != 1)
		return; // memcached drops it (multi-packet requests are not supported)
	std::string text(payload.begin() + 8, payload.end());
	Pending p{g_now_ns, 100 + w.udp_serial++, {}, UdpFrom{client, encap, get16(payload, 0)}};
	bool closed = false;
	frame_commands(text, p.cmds, closed);
	if (!p.cmds.empty())
		w.pending.push_back(std::move(p));
}

// TCP: the bytes the kernel now has in order go to memcached, which runs each command
// once all of it is there.
void deliver_tcp(World &w, int e, std::size_t from, std::size_t to)
{
	Conn &c = w.conns[e];
	if (to <= c.delivered)
		return; // a retransmission: the kernel drops it
	if (from > c.delivered) {
		auto &r = c.ooo[from];
		r = std::max(r, to);
		return;
	}
	c.delivered = to;
	for (auto it = c.ooo.begin(); it != c.ooo.end();) {
		if (it->first > c.delivered)
			break;
		c.delivered = std::max(c.delivered, it->second);
		it = c.ooo.erase(it);
	}
	if (c.closed)
		return;
	std::vector<Cmd> cmds;
	std::string text = c.stream.substr(c.parsed, c.delivered - c.parsed);
	c.parsed += frame_commands(text, cmds, c.closed);
	for (Cmd &cmd : cmds)
		w.pending.push_back(Pending{g_now_ns, e, {std::move(cmd)}, std::nullopt});
}

// Sends a packet to BMC's XDP program; what it passes reaches memcached (`deliver`).
int rx(World &w, const Bytes &pkt)
{
	w.last = pkt;
	host::RunResult r = run(*g_rx, pkt, w.cpu);
	static const bool trace = std::getenv("NETEXT_FUZZ_TRACE") != nullptr;
	if (trace)
		std::fprintf(stderr, "t=%llu ms rx %zu bytes -> %d (%zu pending)\n",
			     static_cast<unsigned long long>(g_now_ns / 1'000'000u), pkt.size(),
			     r.verdict, w.pending.size());
	check(r.verdict == kPass || r.verdict == kTx, "bmc_rx returns Pass or Tx");
	if (r.verdict == kTx)
		check_reply(w, pkt, r.data);
	else if (r.data != pkt)
		fail("bmc_rx passes packets untouched", hex(pkt));
	return r.verdict;
}

std::string key_of(Reader &in)
{
	return kKeys[in.u8() % 12];
}

// One memcached command as a client writes it (storage commands with their data block).
std::string command(World &w, Reader &in)
{
	uint8_t kind = in.u8();
	std::string key = key_of(in);
	static const char *const words[] = {"set", "add", "replace", "append", "prepend", "cas"};
	uint8_t opt = in.u8();
	std::string noreply = opt & 1 ? " noreply" : "";
	switch (kind % bmcop::kCmds) {
	case bmcop::Set:
	case bmcop::Add:
	case bmcop::Replace:
	case bmcop::Append:
	case bmcop::Prepend:
	case bmcop::Cas: {
		std::string data = value_of(in);
		long len = static_cast<long>(data.size());
		if ((opt & 0x0e) == 0x0e)
			len += (opt & 0x10) ? 1 : -1; // a block of the wrong length
		std::string line = std::string(words[kind % bmcop::kCmds]) + " " + key + " " +
				   std::to_string(opt >> 5) + " 0 " + std::to_string(len);
		if (kind % bmcop::kCmds == bmcop::Cas) {
			auto it = w.mc.items.find(key);
			uint64_t cas = it != w.mc.items.end() && (opt & 2) ? it->second.cas : 77;
			line += " " + std::to_string(cas);
		}
		return line + noreply + "\r\n" + data + "\r\n";
	}
	case bmcop::Delete: return "delete " + key + (opt & 2 ? " 0" : "") + noreply + "\r\n";
	case bmcop::Incr:
	case bmcop::Decr: {
		static const char *const deltas[] = {"1", "0",	"100", "18446744073709551615",
						     "x", "-1", "5",   "99999999999"};
		return std::string(kind % bmcop::kCmds == bmcop::Incr ? "incr " : "decr ") + key +
		       " " + deltas[(opt >> 1) % 8] + noreply + "\r\n";
	}
	case bmcop::Touch: return "touch " + key + " 0" + noreply + "\r\n";
	case bmcop::GetOrFlush: {
		if (opt & 2)
			return std::string("flush_all") + (opt & 4 ? " 0" : "") + noreply + "\r\n";
		std::string line = opt & 4 ? "gets " + key : "get " + key;
		for (unsigned i = 0, n = opt >> 4; i < n; i++)
			line += " " + key_of(in);
		return line + "\r\n";
	}
	default: {
		std::string line = in.bytes(opt % 48);
		return opt & 0x80 ? line : line + "\r\n";
	}
	}
}

uint8_t encap_cpu(World &w, Reader &in)
{
	uint8_t b = in.u8();
	w.cpu = b >> 6;
	return b & 3;
}

void udp_get(World &w, Reader &in)
{
	int client = in.u8() % 4;
	uint8_t encap = encap_cpu(w, in);
	uint8_t flags = in.u8();
	uint8_t n = in.u8();
	unsigned nkeys = n < 200 ? 1 + n % 3 : 1 + n % 32;
	std::string text = flags & 1 ? "gets" : "get";
	for (unsigned i = 0; i < nkeys; i++)
		text += " " + key_of(in);
	text += "\r\n";
	auto id = static_cast<uint16_t>((flags >> 1) & 3);
	PacketSpec s = spec(kClients[client], encap, true, 17);
	s.payload = with_text(frame_header(id), text);
	Bytes b = build(s);
	if (b.size() > kMaxFrame)
		return;
	if (rx(w, b) == kPass)
		deliver_udp(w, client, encap, s.payload);
}

void udp_cmd(World &w, Reader &in)
{
	int client = in.u8() % 4;
	uint8_t encap = encap_cpu(w, in);
	auto id = static_cast<uint16_t>(in.u8() & 3);
	PacketSpec s = spec(kClients[client], encap, true, 17);
	s.payload = with_text(frame_header(id), command(w, in));
	Bytes b = build(s);
	if (b.size() > kMaxFrame)
		return;
	if (rx(w, b) == kPass)
		deliver_udp(w, client, encap, s.payload);
}

void tcp_open(World &w, Reader &in)
{
	int e = in.u8() % 4;
	uint8_t flags = in.u8();
	Conn &c = w.conns[e];
	c = Conn{};
	c.open = true;
	c.isn = in.u16() * 65537u;
	if (flags & 1)
		return; // BMC did not see it start
	PacketSpec s = spec(kClients[e], flags >> 1, false, 6);
	s.tcp_flags = 0x12;
	s.tcp_seq = 77000;
	s.tcp_ack = c.isn;
	tx(w, build(s));
}

// The segment carrying stream bytes [from, to) of endpoint e.
void segment(World &w, int e, uint8_t encap, std::size_t from, std::size_t to)
{
	Conn &c = w.conns[e];
	PacketSpec s = spec(kClients[e], encap, true, 6);
	s.tcp_seq = c.isn + static_cast<uint32_t>(from);
	s.tcp_ack = 77001;
	s.payload = testing::text(c.stream.substr(from, to - from));
	if (rx(w, build(s)) == kPass)
		deliver_tcp(w, e, from, to);
}

void tcp_send(World &w, Reader &in)
{
	int e = in.u8() % 4;
	uint8_t encap = encap_cpu(w, in);
	std::size_t len = 1 + in.u16() % 1400;
	Conn &c = w.conns[e];
	if (!c.open || c.sent >= c.stream.size())
		return;
	std::size_t to = std::min(c.stream.size(), c.sent + len);
	segment(w, e, encap, c.sent, to);
	c.sent = to;
}

void tcp_odd(World &w, Reader &in)
{
	int e = in.u8() % 4;
	uint8_t kind = in.u8();
	std::size_t dist = 1 + in.u8();
	std::size_t len = 1 + in.u16() % 1400;
	Conn &c = w.conns[e];
	if (!c.open)
		return;
	if ((kind & 1) == 0) { // a retransmission of bytes already sent
		std::size_t from = c.sent > dist ? c.sent - dist : 0;
		std::size_t to = std::min(c.stream.size(), from + len);
		if (from < to)
			segment(w, e, kind >> 6, from, to);
	} else { // a gap: later bytes first
		std::size_t from = c.sent + dist;
		std::size_t to = std::min(c.stream.size(), from + len);
		if (from < to)
			segment(w, e, kind >> 6, from, to);
	}
}

void process_op(World &w, Reader &in)
{
	uint8_t which = in.u8();
	// the heads of the streams: memcached runs each stream in order
	std::vector<std::size_t> heads;
	std::vector<int> seen;
	for (std::size_t i = 0; i < w.pending.size(); i++) {
		int s = w.pending[i].stream;
		if (std::find(seen.begin(), seen.end(), s) == seen.end()) {
			seen.push_back(s);
			heads.push_back(i);
		}
	}
	if (!heads.empty())
		process(w, heads[which % heads.size()]);
}

void advance_op(World &w, Reader &in)
{
	static const uint32_t steps_ms[] = {1, 2, 5, 10, 19, 20, 21, 22, 30, 100, 1000, 65536};
	uint8_t b = in.u8();
	uint64_t ns = b < 192 ? uint64_t{steps_ms[b % 12]} * 1'000'000u
			      : uint64_t{b - 191u} * 1'000'000u / 7; // parts of a tick
	advance(w, g_now_ns + ns);
}

void garbage(World &w, Reader &in)
{
	uint8_t mode = in.u8();
	Bytes b;
	if (mode & 1 && !w.last.empty()) { // the last packet, a few bytes changed
		b = w.last;
		for (unsigned i = 0, n = 1 + (mode >> 1) % 4; i < n; i++) {
			uint16_t at = in.u16();
			b[at % b.size()] = in.u8();
		}
		if (mode & 0x80)
			b.resize(14 + in.u16() % (b.size() - 13));
	} else {
		std::string s = in.bytes(14 + in.u8());
		b.assign(s.begin(), s.end());
		if (b.size() < 14)
			return;
	}
	// An empty flow slot belongs to [::]:0; a TCP segment from there would write it (its
	// state then outlives the input).
	testing::Frame frame(b);
	PacketView v = frame.view();
	PacketInfo info;
	if (parse_packet(v, info) == Parse::Ok && info.l3 == L3::Ipv6 && info.l4 == L4::Tcp) {
		bool zero = info.l4info.source.raw() == 0;
		for (uint32_t i = 0; i < 16; i++)
			zero = zero && v.byte(info.l3_off + 8 + i) == 0;
		if (zero)
			return;
	}
	int verdict = rx(w, b);
	(void)verdict; // memcached's model does not see garbage (see the note in the report)
}

// A UDP request or TCP segment in two IPv4 fragments; memcached gets it once both came.
void fragment(World &w, Reader &in)
{
	int client = in.u8() % 2; // IPv4 clients
	uint8_t flags = in.u8();
	bool tcp = flags & 4;
	auto id = static_cast<uint16_t>(in.u8() & 3);
	std::string cmd = command(w, in);
	PacketSpec s = spec(kClients[client], 0, true, tcp ? 6 : 17);
	int e = client;
	std::size_t from = 0, to = 0;
	if (tcp) {
		Conn &c = w.conns[e];
		if (!c.open)
			return;
		c.stream += cmd;
		from = c.sent;
		to = c.stream.size();
		if (to - from > 1400)
			return;
		c.sent = to;
		s.tcp_seq = c.isn + static_cast<uint32_t>(from);
		s.tcp_ack = 77001;
		s.payload = testing::text(c.stream.substr(from, to - from));
	} else {
		s.payload = with_text(frame_header(id), cmd);
	}
	Bytes full = build(s);
	std::size_t l3 = testing::l3_offset(s);
	std::size_t ihl = (full[l3] & 0x0f) * 4u;
	std::size_t body = full.size() - l3 - ihl;
	if (body < 16 || full.size() > kMaxFrame)
		return;
	std::size_t cut = (1 + flags % ((body - 1) / 8)) * 8; // a multiple of 8 inside
	auto frag = [&](std::size_t off, std::size_t len, bool more) {
		Bytes f(full.begin(), full.begin() + static_cast<long>(l3 + ihl));
		f.insert(f.end(), full.begin() + static_cast<long>(l3 + ihl + off),
			 full.begin() + static_cast<long>(l3 + ihl + off + len));
		uint16_t tot = static_cast<uint16_t>(ihl + len);
		uint16_t fo = static_cast<uint16_t>((more ? 0x2000 : 0) | off / 8);
		f[l3 + 2] = static_cast<uint8_t>(tot >> 8);
		f[l3 + 3] = static_cast<uint8_t>(tot);
		f[l3 + 6] = static_cast<uint8_t>(fo >> 8);
		f[l3 + 7] = static_cast<uint8_t>(fo);
		f[l3 + 10] = f[l3 + 11] = 0;
		uint16_t c = static_cast<uint16_t>(~testing::ref_sum(f.data() + l3, ihl));
		f[l3 + 10] = static_cast<uint8_t>(c >> 8);
		f[l3 + 11] = static_cast<uint8_t>(c);
		return f;
	};
	Bytes a = frag(0, cut, true), b = frag(cut, body - cut, false);
	if (flags & 8)
		std::swap(a, b);
	// BMC passes fragments (it answers no GET in them): both must pass untouched.
	check(rx(w, a) == kPass, "a fragment passes");
	if (flags & 16)
		return; // the second is lost: memcached never gets the datagram
	check(rx(w, b) == kPass, "a fragment passes");
	if (tcp)
		deliver_tcp(w, e, from, to);
	else
		deliver_udp(w, client, 0, s.payload);
}

uint32_t g_cache_used = 64; // bmc_cache entries the current input's configuration uses

void reset_maps()
{
	static host::MapBase *cache = host::find_map("bmc", "bmc_cache");
	static host::MapBase *flows = host::find_map("bmc", "bmc_flows");
	check(cache && flows, "bmc's maps are linked in");
	// The cache entries the last input could write (its configured size; 64 at first).
	for (uint32_t i = 0; i < g_cache_used; i++)
		std::memset(cache->lookup_cpu(&i, 0), 0, cache->value_size());
	for (const char *name : {"bmc_global", "bmc_scratch", "bmc_stats"})
		host::find_map("bmc", name)->clear();
	// The flow slots of the four endpoints, found once (the only ones the input writes).
	static std::vector<uint32_t> slots;
	if (slots.empty()) {
		flows->clear();
		World w;
		for (int e = 0; e < 4; e++) {
			PacketSpec s = spec(kClients[e], 0, false, 6);
			s.tcp_flags = 0x12;
			s.tcp_ack = 1;
			tx(w, build(s));
		}
		for (uint32_t i = 0; i < bmc::kFlowSlots; i++) {
			const uint8_t *f = flows->lookup_cpu(&i, 0);
			if (std::any_of(f + 4, f + flows->value_size(),
					[](uint8_t x) { return x; }))
				slots.push_back(i);
		}
		check(slots.size() == 4, "four endpoints, four flow slots");
	}
	for (uint32_t i : slots)
		std::memset(flows->lookup_cpu(&i, 0), 0, flows->value_size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
	if (size > 4096)
		return 0;
	g_rx = host::find_program("bmc", "bmc_rx");
	g_tx = host::find_program("bmc", "bmc_tx");
	check(g_rx && g_tx, "bmc's programs are linked in");
	Reader in(data, size);
	reset_maps();
	World w;
	uint8_t cfg = in.u8();
	static const uint32_t entries[] = {1, 3, 64, 64};
	host::set_config("bmc", "entries", entries[cfg & 3]);
	g_cache_used = entries[cfg & 3];
	host::set_config("bmc", "value_limit", cfg & 4 ? 24 : bmc::kDefaultValueLimit);
	w.grace_ms = cfg & 8 ? 2 : bmc::kDefaultGraceMs;
	host::set_config("bmc", "grace_ms", w.grace_ms);
	host::set_config("bmc", "max_reply", cfg & 16 ? 200 : bmc::kDefaultMaxReply);
	g_now_ns = 1'000'000'000'000ull; // past the grace of the maps' zero time stamps
	for (int ops = 0; !in.done() && ops < 200; ops++) {
		switch (in.u8() % bmcop::kOps) {
		case bmcop::UdpGet: udp_get(w, in); break;
		case bmcop::UdpCmd: udp_cmd(w, in); break;
		case bmcop::TcpOpen: tcp_open(w, in); break;
		case bmcop::TcpCmd: {
			int e = in.u8() % 4;
			std::string c = command(w, in);
			if (w.conns[e].open)
				w.conns[e].stream += c;
			break;
		}
		case bmcop::TcpSend: tcp_send(w, in); break;
		case bmcop::TcpOdd: tcp_odd(w, in); break;
		case bmcop::Process: process_op(w, in); break;
		case bmcop::Advance: advance_op(w, in); break;
		case bmcop::Garbage: garbage(w, in); break;
		default: fragment(w, in); break;
		}
	}
	return 0;
}
