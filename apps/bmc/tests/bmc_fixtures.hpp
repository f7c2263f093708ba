// BMC's packets and an ordered, stateful fixture sequence (GET misses leasing keys, fills
// through tc egress, hits, invalidations, waits for the grace period) as steps of the one
// fixture shape (tests/support/fixture.hpp), without gtest: used by apps/bmc/tests (host
// runner and BPF_PROG_TEST_RUN) and by the static guest test that runs the same sequence
// through BMC's eBPF object and its native module. Header-only, so every test binary that
// includes it builds it. Ports, sizes and the slot of a key are the app's own
// (apps/bmc/bmc.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <netext/parsers/memcached.hpp>

#include "bmc.hpp"
#include "fixture.hpp"
#include "packet_builder.hpp"

namespace netext::testing::bmcfx {

inline constexpr uint16_t kPort = bmc::kDefaultPort;
inline constexpr uint32_t kEntries = bmc::kDefaultEntries;
inline constexpr uint32_t kValueLimit = bmc::kDefaultValueLimit;
// The grace period plus the coarse clock's tick, plus a margin.
inline constexpr unsigned kGraceWaitMs = bmc::kDefaultGraceMs + bmc::kGraceTickMs + 5;

// Every command that can change a key (printf format: the key), as memcached takes it.
inline constexpr const char *kModifyingCommands[] = {"set %s 0 0 1\r\nx\r\n",
						     "add %s 0 0 1\r\nx\r\n",
						     "replace %s 0 0 1\r\nx\r\n",
						     "append %s 0 0 1\r\nx\r\n",
						     "prepend %s 0 0 1\r\nx\r\n",
						     "cas %s 0 0 1 77\r\nx\r\n",
						     "delete %s\r\n",
						     "incr %s 1\r\n",
						     "decr %s 1\r\n",
						     "touch %s 10\r\n",
						     "set %s 0 0 1 noreply\r\nx\r\n"};

enum class Variant { Ipv4, Ipv6, Vlan, QinQ, Ipv4Options };
using Net = PacketSpec::Net;

inline std::string variant_name(Variant v)
{
	switch (v) {
	case Variant::Ipv4: return "ipv4";
	case Variant::Ipv6: return "ipv6";
	case Variant::Vlan: return "vlan";
	case Variant::QinQ: return "qinq";
	case Variant::Ipv4Options: return "ipv4_options";
	}
	return "?";
}

inline PacketSpec spec_for(Variant v)
{
	PacketSpec s;
	s.proto = 17;
	if (v == Variant::Ipv6)
		s.net = Net::Ipv6;
	if (v == Variant::Vlan)
		s.vlan_tpids = {0x8100};
	if (v == Variant::QinQ)
		s.vlan_tpids = {0x88a8, 0x8100};
	if (v == Variant::Ipv4Options)
		s.ipv4_options = {0x01, 0x01, 0x01, 0x00}; // NOP NOP NOP EOL
	return s;
}

// memcached's UDP frame header: request id, sequence number, datagram count, reserved.
inline Bytes frame_header(uint16_t id, uint16_t seq = 0, uint16_t count = 1)
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

inline Bytes with_text(Bytes head, const std::string &text)
{
	head.insert(head.end(), text.begin(), text.end());
	return head;
}

// The spec of a datagram (GET or any text) from the client (198.18.0.1 / 2001:db8::1) to
// memcached.
inline PacketSpec request_spec(const std::string &text, uint16_t id = 7, Variant v = Variant::Ipv4,
			       uint16_t sport = 40000)
{
	PacketSpec s = spec_for(v);
	s.sport = sport;
	s.dport = kPort;
	s.payload = with_text(frame_header(id), text);
	return s;
}

inline Bytes request(const std::string &text, uint16_t id = 7, Variant v = Variant::Ipv4,
		     uint16_t sport = 40000)
{
	return build(request_spec(text, id, v, sport));
}

// memcached's answer datagram to that client.
inline Bytes answer(const std::string &text, uint16_t id = 7, Variant v = Variant::Ipv4,
		    uint16_t cport = 40000)
{
	PacketSpec s = spec_for(v);
	s.sport = kPort;
	s.dport = cport;
	std::swap(s.src4, s.dst4);
	std::swap(s.src6_last, s.dst6_last);
	s.payload = with_text(frame_header(id), text);
	return build(s);
}

// A segment to memcached on a connection BMC did not see start (no SYN-ACK): it flushes
// the whole cache, whatever it carries.
inline Bytes tcp_request(const std::string &line, Variant v = Variant::Ipv4)
{
	PacketSpec s = spec_for(v);
	s.proto = 6;
	s.dport = kPort;
	s.payload = text(line);
	return build(s);
}

// A client's TCP connection to memcached as BMC sees it: memcached's SYN-ACK (at tc
// egress), from which BMC follows the connection, then the client's segments in order.
struct Connection {
	Variant v = Variant::Ipv4;
	uint16_t cport = 40100;
	uint32_t next = 1001; // the client's next sequence number (its SYN took next - 1)

	Bytes syn_ack() const
	{
		PacketSpec s = spec_for(v);
		s.proto = 6;
		s.sport = kPort;
		s.dport = cport;
		std::swap(s.src4, s.dst4);
		std::swap(s.src6_last, s.dst6_last);
		s.tcp_flags = 0x12; // SYN|ACK
		s.tcp_seq = 77000;
		s.tcp_ack = next;
		return build(s);
	}
	// The segment carrying `data` at sequence number `seq`.
	Bytes segment_at(uint32_t seq, const std::string &data) const
	{
		PacketSpec s = spec_for(v);
		s.proto = 6;
		s.sport = cport;
		s.dport = kPort;
		s.tcp_seq = seq;
		s.tcp_ack = 77001;
		s.payload = text(data);
		return build(s);
	}
	// The next segment, carrying `data`.
	Bytes segment(const std::string &data)
	{
		Bytes b = segment_at(next, data);
		next += static_cast<uint32_t>(data.size());
		return b;
	}
};

inline std::string value_line(const std::string &key, const std::string &data,
			      const std::string &cas = "")
{
	return "VALUE " + key + " 0 " + std::to_string(data.size()) +
	       (cas.empty() ? "" : " " + cas) + "\r\n" + data + "\r\n";
}

// The reply BMC builds in place for the request of spec `req` (built by request_spec):
// MACs, addresses and ports swapped, TTL / hop limit 64, the frame header with the
// request's id, the text, lengths and checksums recomputed.
inline Bytes reply(PacketSpec req, const std::string &text, uint16_t id)
{
	std::swap(req.sport, req.dport);
	std::swap(req.src4, req.dst4);
	std::swap(req.src6_last, req.dst6_last);
	req.ttl = 64;
	req.pad_to = 0;
	req.payload = with_text(frame_header(id), text);
	Bytes b = build(req);
	std::swap_ranges(b.begin(), b.begin() + 6, b.begin() + 6);
	return b;
}

// BMC's slot of a key (the app's own mapping).
inline uint32_t slot_of(const std::string &key)
{
	return bmc::slot_of(memcached::key_hash(key.data(), static_cast<uint32_t>(key.size())),
			    kEntries);
}

// One step of a run: a packet through bmc_rx (XDP) or bmc_tx (tc egress), or a pause
// (wait_ms, no frame). BMC has no control plane the steps drive.
using Step = Fixture<>;
inline constexpr const char *kRxProgram = "bmc_rx", *kTxProgram = "bmc_tx";

inline Step step(const char *program, const std::string &name, const Bytes &in, Verdict verdict,
		 std::optional<Bytes> out)
{
	Step st;
	st.name = name;
	st.app = "bmc";
	st.program = program;
	st.input = in;
	st.verdict = verdict;
	st.output = std::move(out);
	return st;
}

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Builds a sequence of steps.
class Steps {
public:
	std::vector<Step> steps;

	void rx(const std::string &name, const Bytes &in, Verdict verdict,
		std::optional<Bytes> out = std::nullopt)
	{
		steps.push_back(step(kRxProgram, name, in, verdict, std::move(out)));
	}
	void tx(const std::string &name, const Bytes &in)
	{
		steps.push_back(step(kTxProgram, name, in, TcAction::Ok, in));
	}
	// Passed untouched (a miss, or anything BMC does not answer).
	void pass(const std::string &name, const Bytes &in) { rx(name, in, XdpAction::Pass, in); }
	// Anything whose verdict the test does not assert (compared between backends only).
	void any(const std::string &name, const Bytes &in) { rx(name, in, Verdict{}); }
	void wait(unsigned ms = kGraceWaitMs)
	{
		Step st;
		st.name = "wait";
		st.app = "bmc";
		st.wait_ms = ms;
		steps.push_back(std::move(st));
	}
	// A GET answered from the cache with exactly `text` (+ "END\r\n").
	void hit(const std::string &name, const std::string &get, const std::string &text,
		 uint16_t id = 7, Variant v = Variant::Ipv4)
	{
		PacketSpec s = request_spec(get, id, v);
		rx(name, build(s), XdpAction::Tx, reply(s, text + "END\r\n", id));
	}
	// GET miss (lease), memcached's answer through tc (fill): the keys are then cached.
	void cache(const std::string &name, const KeyValues &kv, Variant v = Variant::Ipv4,
		   const std::string &cas = "", uint16_t id = 99)
	{
		std::string get = cas.empty() ? "get" : "gets";
		for (const auto &[k, d] : kv)
			get += " " + k;
		pass(name + "/miss", request(get + "\r\n", id, v));
		for (std::size_t i = 0; i < kv.size(); i++) {
			std::string t = value_line(kv[i].first, kv[i].second, cas);
			if (i + 1 == kv.size())
				t += "END\r\n";
			tx(name + "/fill_" + kv[i].first.substr(0, 16), answer(t, id, v));
		}
	}
	// `text` in one segment of a new connection BMC follows (memcached's SYN-ACK first).
	void tcp(const std::string &name, const std::string &text, Variant v = Variant::Ipv4)
	{
		Connection c{v};
		tx(name + "/syn_ack", c.syn_ack());
		pass(name, c.segment(text));
	}
	void flush(const std::string &name)
	{
		tcp(name + "/flush_all", "flush_all\r\n");
		wait();
	}
};

// The keys cached by the last scenario of bmc_steps(), left cached for the mutated corpus.
inline KeyValues corpus_keys()
{
	return {{"alpha", "1"},
		{"beta", "two"},
		{"gamma", std::string(37, 'g')},
		{"d", "odd-length value"},
		{"withcas", "yz"}};
}

// The ordered sequence: every scenario of bmc_fixture_test.cpp, as steps.
// Starts with flush_all and the grace period, so it works on maps in any state.
inline std::vector<Step> bmc_steps()
{
	Steps s;
	s.flush("start");

	// One key, every encapsulation.
	for (Variant v :
	     {Variant::Ipv4, Variant::Ipv6, Variant::Vlan, Variant::QinQ, Variant::Ipv4Options}) {
		std::string key = "key-" + variant_name(v);
		s.cache("encap_" + variant_name(v), {{key, "hello world"}}, v);
		s.hit("encap_" + variant_name(v) + "/hit", "get " + key + "\r\n",
		      value_line(key, "hello world"), 1234, v);
	}

	// 2, 10, 32 keys, asked in another order than filled.
	for (std::size_t n : {2u, 10u, 32u}) {
		KeyValues kv;
		for (std::size_t i = 0; i < n; i++)
			kv.emplace_back("k" + std::to_string(n) + "_" + std::to_string(i),
					std::string(i % 3 + 1, static_cast<char>('a' + i % 26)));
		std::string name = "keys" + std::to_string(n);
		s.cache(name, kv);
		std::string get = "get", expect;
		for (auto it = kv.rbegin(); it != kv.rend(); ++it) {
			get += " " + it->first;
			expect += value_line(it->first, it->second);
		}
		s.hit(name + "/hit", get + "\r\n", expect, 5);
	}

	// The longest key and the largest value; one byte more is not cached.
	{
		std::string key(250, 'K'), data(kValueLimit, 'v');
		s.cache("longest", {{key, data}});
		s.hit("longest/hit", "get " + key + "\r\n", value_line(key, data));
		s.cache("oversize", {{"big", std::string(kValueLimit + 1, 'v')}});
		s.pass("oversize/not_cached", request("get big\r\n"));
	}

	// A reply larger than the MTU passes (memcached splits it).
	s.cache("mtu", {{"a", std::string(900, 'a')}, {"b", std::string(900, 'b')}});
	s.hit("mtu/hit_a", "get a\r\n", value_line("a", std::string(900, 'a')));
	s.hit("mtu/hit_b", "get b\r\n", value_line("b", std::string(900, 'b')));
	s.pass("mtu/a_b_too_large", request("get a b\r\n"));

	// gets needs the cas.
	s.cache("gets_plain", {{"plain", "x"}});
	s.pass("gets_plain/no_cas", request("gets plain\r\n"));
	s.cache("gets_cas", {{"withcas", "yz"}}, Variant::Ipv4, "4242");
	s.hit("gets_cas/hit", "gets withcas\r\n", value_line("withcas", "yz", "4242"));
	s.hit("gets_cas/get_without_cas", "get withcas\r\n", value_line("withcas", "yz"));

	// Miss and partial hit.
	s.cache("partial", {{"here", "1"}});
	s.pass("partial/miss", request("get nothere\r\n"));
	s.pass("partial/here_nothere", request("get here nothere\r\n"));
	s.pass("partial/nothere_here", request("get nothere here\r\n"));
	s.hit("partial/still_hit", "get here\r\n", value_line("here", "1"));

	// Malformed requests pass untouched (and flush).
	{
		s.cache("malformed", {{"k", "v"}});
		s.hit("malformed/hit", "get k\r\n", value_line("k", "v"));
		std::string many = "get";
		for (int i = 0; i < 33; i++)
			many += " k";
		std::vector<std::pair<std::string, std::string>> bad = {
			{"no_crlf", "get k"},
			{"no_lf", "get k\r"},
			{"no_key", "get \r\n"},
			{"key_too_long", "get " + std::string(251, 'k') + "\r\n"},
			{"control_char", "get k\x01\r\n"},
			{"upper_case", "GET k\r\n"},
			{"two_requests", "get k\r\nget k\r\n"},
			{"33_keys", many + "\r\n"}};
		for (const auto &[name, t] : bad)
			s.pass("malformed/" + name, request(t));
		PacketSpec p = spec_for(Variant::Ipv4);
		p.dport = kPort;
		p.payload = {0, 7, 0, 0, 0};
		s.pass("malformed/short_frame_header", build(p));
		p.payload = with_text(frame_header(7, 0, 2), "get k\r\n");
		s.pass("malformed/multi_datagram", build(p));
		p.payload = with_text(frame_header(7, 1, 1), "get k\r\n");
		s.pass("malformed/seq_past_count", build(p));
		s.pass("malformed/flushed", request("get k\r\n"));
		s.wait();
	}

	// A fill needs the lease of that very request.
	s.tx("lease/unasked_answer", answer(value_line("unasked", "1") + "END\r\n", 3));
	s.pass("lease/not_filled", request("get unasked\r\n", 4));
	s.tx("lease/other_id", answer(value_line("unasked", "1") + "END\r\n", 5));
	s.tx("lease/other_port",
	     answer(value_line("unasked", "1") + "END\r\n", 4, Variant::Ipv4, 40001));
	s.pass("lease/still_not_filled", request("get unasked\r\n", 6));
	s.tx("lease/right_answer", answer(value_line("unasked", "1") + "END\r\n", 6));
	s.hit("lease/hit", "get unasked\r\n", value_line("unasked", "1"));

	// Every modifying command invalidates its key, over TCP (IPv4, IPv6) and UDP.
	for (Variant v : {Variant::Ipv4, Variant::Ipv6}) {
		for (const char *c : kModifyingCommands) {
			char line[128];
			std::snprintf(line, sizeof line, c, "victim");
			std::string name = "modify_" + variant_name(v) + "/" +
					   std::string(line, std::string(line).find(' '));
			s.cache(name, {{"victim", "old"}, {"bystander", "b"}});
			s.hit(name + "/hit", "get victim\r\n", value_line("victim", "old"));
			s.tcp(name + "/tcp", line, v);
			s.pass(name + "/invalidated", request("get victim\r\n"));
			s.hit(name + "/bystander", "get bystander\r\n",
			      value_line("bystander", "b"));
			s.wait();
		}
	}

	// flush_all and whatever cannot be followed invalidate everything: a meta command (it
	// may carry a data block), an unknown word, a storage line memcached refuses (it then
	// runs the "data block" as commands), a line split in the middle (its key unread), a
	// connection BMC did not see start.
	for (std::string seg :
	     {"flush_all\r\n", "ms a 1\r\nx\r\n", "garbage", "set a abc 0 11\r\ndelete k1\r\n",
	      "delete k", "set k1 0 0", "untracked delete zz\r\n"}) {
		std::string name = "flush/" + seg.substr(0, seg.find_first_of(" \r"));
		s.cache(name, {{"k1", "1"}, {"k2", "2"}});
		s.hit(name + "/hit", "get k1 k2\r\n",
		      value_line("k1", "1") + value_line("k2", "2"));
		if (seg.rfind("untracked ", 0) == 0)
			s.pass(name + "/tcp", tcp_request(seg.substr(10)));
		else
			s.tcp(name + "/tcp", seg);
		s.pass(name + "/k1", request("get k1\r\n"));
		s.pass(name + "/k2", request("get k2\r\n"));
		s.wait();
	}
	// Pipelined commands in one segment: each invalidates its own key, nothing else.
	s.cache("pipelined", {{"p1", "1"}, {"p2", "2"}, {"p3", "3"}});
	s.tcp("pipelined/tcp", "set p1 0 0 1\r\nx\r\nget p3\r\ndelete p2\r\n");
	s.pass("pipelined/p1", request("get p1\r\n"));
	s.pass("pipelined/p2", request("get p2\r\n"));
	s.hit("pipelined/p3_kept", "get p3\r\n", value_line("p3", "3"));
	s.wait();
	// A connection is read as memcached reads it, across segments.
	{
		Connection c{Variant::Ipv4, 40200};
		s.cache("stream", {{"foo", "old"}, {"by", "b"}});
		s.tx("stream/syn_ack", c.syn_ack());
		// A data block that looks like a set whose own block ends with the segment: the
		// delete after it is memcached's next command.
		s.pass("stream/set_line", c.segment("set a 0 0 12\r\n"));
		s.pass("stream/block_then_delete", c.segment("set x 0 0 10\r\ndelete foo\r\n"));
		s.pass("stream/foo_invalidated", request("get foo\r\n"));
		s.hit("stream/by_kept", "get by\r\n", value_line("by", "b"));
		// A value over three segments: each invalidates its key (memcached stores it at
		// the last), none flushes.
		s.wait();
		s.cache("stream_long", {{"big", "old"}});
		s.pass("stream_long/1", c.segment("set big 0 0 30\r\n" + std::string(10, 'x')));
		s.wait();
		s.pass("stream_long/2", c.segment(std::string(10, 'y')));
		s.pass("stream_long/no_lease_yet", request("get big\r\n", 51));
		s.tx("stream_long/old_answer", answer(value_line("big", "old") + "END\r\n", 51));
		s.wait();
		s.pass("stream_long/3", c.segment(std::string(10, 'z') + "\r\nget by\r\n"));
		s.pass("stream_long/still_no_lease", request("get big\r\n", 52));
		s.tx("stream_long/old_answer_again",
		     answer(value_line("big", "old") + "END\r\n", 52));
		s.pass("stream_long/not_filled", request("get big\r\n", 53));
		s.hit("stream_long/by_kept", "get by\r\n", value_line("by", "b"));
		// A line split across segments flushes at both (its key unread), and the
		// commands after it are followed.
		s.wait();
		s.cache("stream_split", {{"k1", "1"}, {"k2", "2"}});
		s.pass("stream_split/head", c.segment("delete k"));
		s.pass("stream_split/flushed", request("get k1\r\n"));
		s.wait();
		s.cache("stream_split_2", {{"k1", "1"}, {"k2", "2"}});
		s.pass("stream_split/tail", c.segment("3\r\ndelete k2\r\n"));
		s.pass("stream_split/flushed_again", request("get k1\r\n"));
		s.wait();
		s.cache("stream_split_3", {{"k1", "1"}, {"k2", "2"}});
		s.pass("stream_split/next", c.segment("delete k2\r\n"));
		s.pass("stream_split/k2", request("get k2\r\n"));
		s.hit("stream_split/k1_kept", "get k1\r\n", value_line("k1", "1"));
		// A retransmission (or a gap) loses the connection: it and every later segment
		// flush.
		s.pass("stream_lost/retransmit", c.segment_at(c.next - 11, "delete k2\r\n"));
		s.pass("stream_lost/flushed", request("get k1\r\n"));
		s.wait();
		s.cache("stream_lost_2", {{"k1", "1"}});
		s.pass("stream_lost/later", c.segment("get k1\r\n"));
		s.pass("stream_lost/flushed_again", request("get k1\r\n"));
		// A new connection from the same port is followed again.
		Connection d{Variant::Ipv4, 40200, 9001};
		s.tx("stream_new/syn_ack", d.syn_ack());
		s.wait();
		s.cache("stream_new", {{"k1", "1"}, {"k2", "2"}});
		s.pass("stream_new/delete", d.segment("delete k2\r\n"));
		s.hit("stream_new/k1_kept", "get k1\r\n", value_line("k1", "1"));
		s.wait();
	}
	s.cache("tcp_get", {{"t1", "1"}});
	s.tcp("tcp_get/changes_nothing", "get t1\r\n");
	s.hit("tcp_get/hit", "get t1\r\n", value_line("t1", "1"));
	s.pass("udp_set/invalidates", request("set t1 0 0 1\r\nz\r\n"));
	s.pass("udp_set/invalidated", request("get t1\r\n"));
	// A TCP fragment may carry a request BMC cannot read: everything goes.
	{
		s.wait();
		s.cache("tcp_fragment", {{"f1", "1"}});
		PacketSpec f = spec_for(Variant::Ipv4);
		f.proto = 6;
		f.dport = kPort;
		f.ipv4_frag = 0x2000; // MF
		f.payload = text("set k9 0 0 1\r\nx\r\n");
		s.pass("tcp_fragment/segment", build(f));
		s.pass("tcp_fragment/flushed", request("get f1\r\n"));
		s.wait();
	}

	// No fill within the grace period of an invalidation.
	s.cache("grace", {{"hot", "v1"}});
	s.tcp("grace/set", "set hot 0 0 2\r\nv2\r\n");
	s.pass("grace/no_lease", request("get hot\r\n", 11));
	s.tx("grace/stale_answer", answer(value_line("hot", "v1") + "END\r\n", 11));
	s.pass("grace/not_filled", request("get hot\r\n", 12));
	s.wait();
	s.pass("grace/lease", request("get hot\r\n", 13));
	s.tx("grace/fresh_answer", answer(value_line("hot", "v2") + "END\r\n", 13));
	s.hit("grace/hit", "get hot\r\n", value_line("hot", "v2"), 14);

	// An invalidation between lease and fill wins.
	s.pass("race/lease", request("get racy\r\n", 21));
	s.tcp("race/delete", "delete racy\r\n");
	s.tx("race/stale_answer", answer(value_line("racy", "stale") + "END\r\n", 21));
	s.pass("race/not_filled", request("get racy\r\n", 22));
	s.wait();

	// Two keys in one slot: the stored key decides.
	{
		std::string a = "collide-0", b;
		for (int i = 1; b.empty(); i++) {
			std::string c = "collide-" + std::to_string(i);
			if (slot_of(c) == slot_of(a))
				b = c;
		}
		s.cache("collide", {{a, "A"}});
		s.pass("collide/other_key", request("get " + b + "\r\n"));
		s.hit("collide/hit", "get " + a + "\r\n", value_line(a, "A"));
	}

	// Other traffic passes.
	{
		PacketSpec udp = spec_for(Variant::Ipv4);
		udp.dport = kPort + 1;
		udp.payload = with_text(frame_header(1), "get k\r\n");
		s.pass("other/port", build(udp));
		PacketSpec arp;
		arp.net = Net::Arp;
		s.pass("other/arp", build(arp));
		Bytes cut = request("get k\r\n");
		cut.resize(30);
		s.pass("other/truncated", cut);
		PacketSpec frag = request_spec("get a\r\n");
		frag.ipv4_frag = 0x2000;
		s.pass("other/udp_fragment", build(frag));
	}

	// Last: keys left cached (every encapsulation asks them), the mutated corpus's base.
	s.flush("corpus");
	KeyValues kv = corpus_keys();
	s.cache("corpus", {kv.begin(), kv.end() - 1});
	s.cache("corpus_cas", {kv.back()}, Variant::Ipv4, "77");
	for (Variant v :
	     {Variant::Ipv4, Variant::Ipv6, Variant::Vlan, Variant::QinQ, Variant::Ipv4Options}) {
		std::string get = "get", expect;
		for (const auto &[k, d] : kv) {
			get += " " + k;
			expect += value_line(k, d);
		}
		s.hit("corpus/hit_all_" + variant_name(v), get + "\r\n", expect, 31, v);
		s.hit("corpus/hit_one_" + variant_name(v), "get beta\r\n",
		      value_line("beta", "two"), 32, v);
	}
	s.hit("corpus/gets", "gets withcas\r\n", value_line("withcas", "yz", "77"), 33);
	return s.steps;
}

// Inputs whose mutants make the corpus: every packet of bmc_steps() (each once, with its
// program), and packets about the corpus keys (hits, misses, answers, invalidations).
inline std::vector<Step> mutation_bases()
{
	std::vector<Step> out;
	auto add = [&](const char *program, const Bytes &b) {
		for (const Step &s : out)
			if (s.program == program && s.input == b)
				return;
		out.push_back(step(program, "base", b, Verdict{}, std::nullopt));
	};
	for (const Step &s : bmc_steps())
		if (s.has_frame())
			add(s.program == kRxProgram ? kRxProgram : kTxProgram, s.input);
	for (Variant v : {Variant::Ipv4, Variant::Ipv6, Variant::Vlan}) {
		add(kTxProgram, answer(value_line("alpha", "1") + "END\r\n", 40, v));
		add(kRxProgram, request("get alpha\r\n", 40, v));
		add(kRxProgram, request("gets withcas beta\r\n", 41, v));
		add(kRxProgram, tcp_request("delete gamma\r\n", v));
		add(kRxProgram, tcp_request("set d 0 0 2\r\nxx\r\n", v));
		Connection c{v};
		add(kTxProgram, c.syn_ack());
		add(kRxProgram, c.segment("set d 0 0 2\r\nxx\r\ndelete gamma\r\n"));
	}
	return out;
}

// Deterministic mutants of the bases: flipped bytes, header bytes, truncations, garbage
// appended, as tests/support/fixtures.cpp's mutated_corpus. Each keeps its base's program.
inline std::vector<Step> mutated_corpus(unsigned per_base, unsigned seed)
{
	std::mt19937 rng(seed);
	std::vector<Step> out;
	for (const Step &base : mutation_bases()) {
		for (unsigned i = 0; i < per_base; i++) {
			Step m = base;
			Bytes &b = m.input;
			switch (rng() % 5) {
			case 0: // flip a few bytes, anywhere
				for (unsigned k = 0, n = 1 + rng() % 4; k < n; k++)
					b[rng() % b.size()] ^=
						static_cast<uint8_t>(1 + rng() % 255);
				break;
			case 1: // headers, where parsing decisions are made
				for (unsigned k = 0, n = 1 + rng() % 3; k < n; k++)
					b[rng() % std::min<std::size_t>(b.size(), 80)] =
						static_cast<uint8_t>(rng());
				break;
			case 2: // truncate (the kernel refuses < 14 bytes)
				b.resize(14 + rng() % (b.size() - 13));
				break;
			case 3: // one byte of the memcached text (past the headers), to a special
				// one
				if (b.size() > 70)
					b[70 + rng() % (b.size() - 70)] =
						static_cast<uint8_t>(" \r\n0\x00"[rng() % 5]);
				break;
			default: // append garbage
				for (unsigned k = 0, n = 1 + rng() % 64; k < n; k++)
					b.push_back(static_cast<uint8_t>(rng()));
				break;
			}
			m.name = "mutant";
			out.push_back(std::move(m));
		}
	}
	return out;
}

} // namespace netext::testing::bmcfx
