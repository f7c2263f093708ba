#include <netext/parsers/memcached.hpp>

#include <gtest/gtest.h>

#include "memcached_model.hpp"

#include <cstring>
#include <string>
#include <vector>

using namespace netext;
using namespace netext::memcached;
using netext::testing::McReading;
using netext::testing::memcached_reads;

namespace {

struct Parsed {
	Status status;
	Request req;
	std::vector<std::string> keys;
};

Parsed parse(const std::string &line)
{
	std::vector<uint8_t> b(line.begin(), line.end()); // exactly sized: ASan sees over-reads
	PacketView v(b.data(), b.data() + b.size());
	Parsed p;
	p.status = parse_request(v, 0, p.req);
	if (p.status == Status::Ok)
		for (uint32_t i = 0; i < p.req.nkeys; i++) {
			Key k = p.req.keys.at_or(i, Key{});
			p.keys.push_back(line.substr(k.off, k.len));
		}
	return p;
}

std::string keys_line(const char *cmd, int n, std::size_t len = 3)
{
	std::string s = cmd;
	for (int i = 0; i < n; i++)
		s += " " + std::string(len - 1, 'k') + static_cast<char>('A' + i % 26);
	return s + "\r\n";
}

} // namespace

TEST(Memcached, GetWithOneAndManyKeys)
{
	Parsed p = parse("get foo\r\n");
	ASSERT_EQ(p.status, Status::Ok);
	EXPECT_EQ(p.req.cmd, Command::Get);
	EXPECT_EQ(p.keys, std::vector<std::string>{"foo"});
	EXPECT_EQ(p.req.line_end, 7u);

	p = parse("gets a bb  ccc\r\n"); // runs of spaces separate like one
	ASSERT_EQ(p.status, Status::Ok);
	EXPECT_EQ(p.req.cmd, Command::Gets);
	EXPECT_EQ(p.keys, (std::vector<std::string>{"a", "bb", "ccc"}));

	p = parse(keys_line("get", 32));
	ASSERT_EQ(p.status, Status::Ok);
	EXPECT_EQ(p.keys.size(), 32u);
	EXPECT_EQ(p.keys[31], "kkF");
	EXPECT_EQ(parse(keys_line("get", 33)).status, Status::Malformed);
}

// The hash each key comes with is key_hash() of its bytes, whatever their alignment in
// the packet and on either side of a word boundary, and wherever the view ends.
TEST(Memcached, KeysComeWithTheirHash)
{
	auto hash = [](const std::string &s) {
		return key_hash(s.data(), static_cast<uint32_t>(s.size()));
	};
	std::string line = "get a 12345678 123456789 " + std::string(250, 'z') + " k\r\n";
	for (std::size_t pad = 0; pad < 9; pad++) {
		std::string padded = line;
		padded.insert(3, pad, ' ');
		Parsed p = parse(padded);
		ASSERT_EQ(p.status, Status::Ok);
		ASSERT_EQ(p.keys.size(), 5u);
		for (uint32_t i = 0; i < p.req.nkeys; i++)
			EXPECT_EQ(p.req.keys.at_or(i, Key{}).hash, hash(p.keys[i])) << p.keys[i];
	}
	// Keys of every length up to the limit, the last word partial or whole, right at the
	// end of the view (the last word is read as the one ending there).
	for (uint32_t len = 1; len <= kMaxKeyLen; len++) {
		std::string key;
		for (uint32_t i = 0; i < len; i++)
			key += static_cast<char>('!' + (i * 7 + len) % 94);
		Parsed p = parse("get " + key + "\r\n");
		ASSERT_EQ(p.status, Status::Ok) << len;
		EXPECT_EQ(p.req.keys.at_or(0, Key{}).hash, hash(key)) << len;
	}
	// Different keys, different hashes (the padding of the last word is not ambiguous).
	EXPECT_NE(hash("a"), hash("b"));
	EXPECT_NE(hash("abcdefgh"), hash("abcdefghi"));
	EXPECT_NE(hash("k"), hash(std::string("k\0", 2)));
}

namespace {
// Both fast paths against the general parse: the same request whenever they accept one.
void expect_fast_paths_agree(const std::string &text)
{
	std::vector<uint8_t> b(text.begin(), text.end());
	PacketView v(b.data(), b.data() + b.size());
	Request full, fast;
	Status s = parse_request(v, 0, full);
	auto same = [&](Command cmd) {
		ASSERT_EQ(s, Status::Ok) << text;
		EXPECT_EQ(full.cmd, cmd) << text;
		EXPECT_EQ(fast.cmd, cmd) << text;
		EXPECT_EQ(fast.nkeys, 1u) << text;
		EXPECT_EQ(full.nkeys, 1u) << text;
		EXPECT_EQ(fast.line_end, full.line_end) << text;
		EXPECT_EQ(fast.data_len, full.data_len) << text;
		Key a = fast.keys.at_or(0, Key{}), k = full.keys.at_or(0, Key{});
		EXPECT_EQ(a.off, k.off) << text;
		EXPECT_EQ(a.len, k.len) << text;
		EXPECT_EQ(a.hash, k.hash) << text;
	};
	auto size = static_cast<uint32_t>(b.size());
	if (parse_plain_get(v, 0, size, fast)) {
		same(Command::Get);
		EXPECT_EQ(full.line_end + 2, size) << text;
	}
	if (parse_plain_set(v, 0, size, fast))
		same(Command::Set);
}
} // namespace

// parse_plain_get/parse_plain_set take what they accept exactly as parse_request does, and
// accept the requests clients send; the rest (and every mutant of them they do accept)
// agree with the general parse.
TEST(Memcached, FastPathsAgreeWithTheGeneralParse)
{
	std::vector<uint8_t> b;
	auto accepts = [&](const std::string &t, bool get) {
		b.assign(t.begin(), t.end());
		PacketView v(b.data(), b.data() + b.size());
		Request r;
		auto n = static_cast<uint32_t>(b.size());
		return get ? parse_plain_get(v, 0, n, r) : parse_plain_set(v, 0, n, r);
	};
	EXPECT_TRUE(accepts("get foo\r\n", true));
	EXPECT_TRUE(accepts("get " + std::string(250, 'x') + "\r\n", true));
	EXPECT_FALSE(accepts("get " + std::string(251, 'x') + "\r\n", true));
	EXPECT_FALSE(accepts("get a b\r\n", true));  // two keys: the general parse
	EXPECT_FALSE(accepts("get foo\r\nx", true)); // something after the line
	EXPECT_FALSE(accepts("gets foo\r\n", true));
	EXPECT_TRUE(accepts("set k 0 0 5\r\nhello\r\n", false));
	EXPECT_TRUE(accepts("set k 4294967295 0 5\r\n", false));
	EXPECT_FALSE(accepts("set k 0 0 5 noreply\r\nhello\r\n", false));
	EXPECT_FALSE(accepts("set k 0 -1 5\r\nhello\r\n", false));
	EXPECT_FALSE(accepts("set k 0 0 5\rhello\r\n", false));

	std::vector<std::string> corpus = {"get foo\r\n",
					   "get a\r\n",
					   "get " + std::string(250, 'k') + "\r\n",
					   "get key:00000001\r\n",
					   "set k 0 0 5\r\nhello\r\n",
					   "set key:0001 12 300 1024\r\n",
					   "set " + std::string(250, 's') + " 0 0 1\r\nx\r\n",
					   "get foo bar\r\n",
					   "set k 0 0 5 noreply\r\n",
					   "delete k\r\n"};
	uint32_t rng = 12345;
	auto next = [&] { return rng = rng * 1103515245u + 12345u; };
	const char bytes[] = {' ', '\r', '\n', '\0', '\x7f', '\x80', 'a', '0', '-', '\t'};
	for (const std::string &base : corpus) {
		expect_fast_paths_agree(base);
		for (std::size_t cut = 0; cut <= base.size(); cut++)
			expect_fast_paths_agree(base.substr(0, cut)); // every truncation
		for (int i = 0; i < 2000; i++) {
			std::string m = base;
			switch (next() % 3) {
			case 0: // one byte replaced
				m[(next() >> 8) % m.size()] = bytes[(next() >> 8) % sizeof(bytes)];
				break;
			case 1: // one byte inserted
				m.insert((next() >> 8) % (m.size() + 1), 1,
					 bytes[(next() >> 8) % sizeof(bytes)]);
				break;
			default: // one byte removed
				m.erase((next() >> 8) % m.size(), 1);
			}
			expect_fast_paths_agree(m);
		}
	}
}

TEST(Memcached, KeyLengthLimits)
{
	Parsed p = parse(keys_line("get", 1, kMaxKeyLen));
	ASSERT_EQ(p.status, Status::Ok);
	EXPECT_EQ(p.keys[0].size(), 250u);
	EXPECT_EQ(parse(keys_line("get", 1, kMaxKeyLen + 1)).status, Status::Malformed);
	p = parse(keys_line("get", 32, kMaxKeyLen)); // the longest line there is
	ASSERT_EQ(p.status, Status::Ok);
	EXPECT_EQ(p.keys.size(), 32u);
}

TEST(Memcached, MalformedRequests)
{
	EXPECT_EQ(parse("get foo").status, Status::Malformed);	 // no \r\n
	EXPECT_EQ(parse("get foo\n").status, Status::Malformed); // \n alone
	EXPECT_EQ(parse("get \r\n").status, Status::Malformed);	 // empty key
	EXPECT_EQ(parse("get\r\n").status, Status::Malformed);
	EXPECT_EQ(parse("get fo\x01o\r\n").status, Status::Malformed); // control character
	EXPECT_EQ(parse("get fo\x7fo\r\n").status, Status::Malformed);
	EXPECT_EQ(parse("delete\r\n").status, Status::Malformed);
}

TEST(Memcached, NotMemcached)
{
	EXPECT_EQ(parse("GET / HTTP/1.1\r\n").status, Status::NotMemcached);
	EXPECT_EQ(parse("getx foo\r\n").status, Status::NotMemcached);
	EXPECT_EQ(parse("").status, Status::NotMemcached);
	EXPECT_EQ(parse("ge").status, Status::NotMemcached);
	EXPECT_EQ(parse("version\r\n").status, Status::NotMemcached);
}

TEST(Memcached, KeyOfEveryModifyingCommand)
{
	struct {
		const char *line;
		Command cmd;
	} cases[] = {
		{"set k1 0 0 5\r\n", Command::Set},
		{"add k1 1 2 3 noreply\r\n", Command::Add},
		{"replace k1 0 0 1\r\n", Command::Replace},
		{"append k1 0 0 1\r\n", Command::Append},
		{"prepend k1 0 0 1\r\n", Command::Prepend},
		{"cas k1 0 0 1 99\r\n", Command::Cas},
		{"delete k1\r\n", Command::Delete},
		{"delete k1 noreply\r\n", Command::Delete},
		{"incr k1 5\r\n", Command::Incr},
		{"decr k1 5\r\n", Command::Decr},
		{"touch k1 100\r\n", Command::Touch},
	};
	for (const auto &c : cases) {
		Parsed p = parse(c.line);
		ASSERT_EQ(p.status, Status::Ok) << c.line;
		EXPECT_EQ(p.req.cmd, c.cmd) << c.line;
		EXPECT_TRUE(modifies(p.req.cmd));
		EXPECT_EQ(p.keys, std::vector<std::string>{"k1"}) << c.line;
	}
	for (const char *line : {"flush_all\r\n", "flush_all 10\r\n", "flush_all noreply\r\n"}) {
		Parsed p = parse(line);
		ASSERT_EQ(p.status, Status::Ok) << line;
		EXPECT_EQ(p.req.cmd, Command::FlushAll);
		EXPECT_EQ(p.req.nkeys, 0);
	}
	EXPECT_FALSE(modifies(Command::Get));
	EXPECT_FALSE(modifies(Command::Gets));
}

namespace {
// What parse_request says Ok to, memcached reads the same way: the line ends at the same
// place, the key is its second token, and a storage line is one memcached takes, with the
// same data block (else BMC would skip commands memcached runs: a stale cache).
void expect_read_as_memcached_does(const std::string &text)
{
	Parsed p = parse(text);
	if (p.status != Status::Ok)
		return;
	McReading m = memcached_reads(text.data(), text.size());
	ASSERT_TRUE(m.line) << text;
	EXPECT_EQ(p.req.line_end, m.line_end) << text;
	EXPECT_EQ(text.substr(p.req.line_end, 2), "\r\n") << text;
	if (p.req.nkeys > 0 && p.req.cmd != Command::Get && p.req.cmd != Command::Gets) {
		ASSERT_GE(m.tokens.size(), 2u) << text;
		EXPECT_EQ(p.keys[0], m.tokens[1]) << text;
	}
	if (stores(p.req.cmd)) {
		EXPECT_TRUE(m.stores) << "memcached refuses this line: " << text;
		EXPECT_EQ(static_cast<long>(p.req.data_len), m.data_len) << text;
	}
}
} // namespace

// The stale-cache hole this closes: "set k abc 0 11\r\ndelete foo\r\n" -- memcached refuses
// the line and runs the delete; taking "abc" as flags would skip it as the data block.
TEST(Memcached, StorageLinesAreOkOnlyWhenMemcachedTakesThem)
{
	for (const char *line : {
		     "set k abc 0 11\r\n",
		     "set k 0 abc 11\r\n",
		     "set k 0 0 abc\r\n",
		     "set k -1 0 5\r\n",
		     "set k +1 0 5\r\n",
		     "set k 0 0 -5\r\n",
		     "set k 0 0 2147483646\r\n",
		     "set k 0 0 4294967295\r\n",
		     "set k 4294967296 0 5\r\n",
		     "set k 0 0 5 noreply extra\r\n",
		     "set k 0 0\r\n",
		     "set k 0 0 5x\r\n",
		     "set k 0 0 5\t\r\n",
		     "set k 0 0 5\rx\r\n",
		     "cas k 0 0 5\r\n",
		     "cas k 0 0 5 -1\r\n",
		     "cas k 0 0 5 1 noreply x\r\n",
		     "add k 1 2\r\n",
		     "set k 0 0 5\n",
		     "set k 0 0 5 noreply\n",
		     "append k 0 0 00000000001\r\n",
	     })
		EXPECT_EQ(parse(line).status, Status::Malformed) << line;
	struct {
		const char *line;
		uint32_t data_len;
	} ok[] = {
		{"set k 0 0 5\r\n", 5},
		{"set k 0 0 5 noreply\r\n", 5},
		{"set  k  1  2  3  noreply  \r\n", 3},
		{"set k 0 0 5 anything\r\n", 5}, // memcached ignores a sixth token
		{"set k 4294967295 4294967295 2147483645\r\n", 2147483645},
		{"set k 0 -1 0\r\n", 0},
		{"add k 0 -4294967295 0000000007\r\n", 7},
		{"cas k 0 0 5 1234567890123456\r\n", 5},
		{"cas k 0 0 5 1 noreply\r\n", 5},
		{"prepend k 99 0 1\r\n", 1},
	};
	for (const auto &c : ok) {
		Parsed p = parse(c.line);
		ASSERT_EQ(p.status, Status::Ok) << c.line;
		EXPECT_EQ(p.req.data_len, c.data_len) << c.line;
		EXPECT_EQ(p.keys, std::vector<std::string>{"k"}) << c.line;
		expect_read_as_memcached_does(c.line);
		EXPECT_TRUE(memcached_reads(c.line, std::strlen(c.line)).stores)
			<< c.line; // the model agrees too
	}
	// A line memcached ends at a '\n' alone is not followed past it (the '\r\n' later on
	// would hide the commands in between).
	EXPECT_EQ(parse("delete a b\nset k 0 0 8\r\n").status, Status::Malformed);
	EXPECT_EQ(parse("incr a 1\nset k 0 0 8\r\n").status, Status::Malformed);
	EXPECT_NE(parse("flush_all\n\r\n").status, Status::Ok);
}

// Every mutant of storage and other lines (bytes replaced, inserted, removed; numbers at
// the limits) that parse_request says Ok to is read the same way by memcached's code.
TEST(Memcached, WhatIsOkIsReadAsMemcachedReadsIt)
{
	std::vector<std::string> corpus = {
		"set k 0 0 5\r\nhello\r\n",
		"set key:0001 12 300 1024 noreply\r\n",
		"cas k 1 2 3 4 noreply\r\n",
		"add k 4294967295 -2147483648 2147483645\r\n",
		"replace k 429496729 99999999 214748364\r\n",
		"append k 1 1 9999999999\r\n",
		"prepend k 0 0 1234567890\r\n",
		"cas k 0 0 1 18446744073709551615\r\n",
		"delete k noreply\r\n",
		"incr k 18446744073709551615\r\n",
		"touch k 10\r\n",
		"flush_all 0\r\n",
	};
	uint32_t rng = 4242;
	auto next = [&] { return (rng = rng * 1103515245u + 12345u) >> 8; };
	const char bytes[] = {' ', '\r', '\n', '\0', '\t', '-', '+', '0', '1', '9', 'x', '\x80'};
	int ok = 0;
	for (const std::string &base : corpus) {
		expect_read_as_memcached_does(base);
		for (std::size_t cut = 0; cut <= base.size(); cut++)
			expect_read_as_memcached_does(base.substr(0, cut));
		for (int i = 0; i < 4000; i++) {
			std::string m = base;
			for (uint32_t edits = 1 + next() % 3; edits > 0 && !m.empty(); edits--) {
				char b = bytes[next() % sizeof(bytes)];
				switch (next() % 3) {
				case 0: m[next() % m.size()] = b; break;
				case 1: m.insert(next() % (m.size() + 1), 1, b); break;
				default: m.erase(next() % m.size(), 1);
				}
			}
			ok += parse(m).status == Status::Ok;
			expect_read_as_memcached_does(m);
		}
	}
	EXPECT_GT(ok, 1000) << "the mutants should not all be refused: the test proves nothing";
}

TEST(Memcached, EveryTruncationIsNeverOk)
{
	for (const std::string &line :
	     {std::string("get foo bar\r\n"), std::string("set k 0 0 1\r\n"),
	      keys_line("gets", 32, 250)}) {
		for (std::size_t len = 0; len < line.size(); len++) {
			Parsed p = parse(line.substr(0, len));
			EXPECT_NE(p.status, Status::Ok) << len;
		}
	}
}

TEST(Memcached, UdpFrameHeader)
{
	auto frame = [](std::vector<uint8_t> b) {
		PacketView v(b.data(), b.data() + b.size());
		UdpFrame f;
		bool ok = parse_udp_frame(v, 0, f);
		return std::make_pair(ok, f);
	};
	auto [ok, f] = frame({0x12, 0x34, 0, 0, 0, 1, 0, 0});
	ASSERT_TRUE(ok);
	EXPECT_EQ(f.request_id.host(), 0x1234);
	EXPECT_EQ(f.payload_off, 8u);
	for (std::size_t len = 0; len < 8; len++)
		EXPECT_FALSE(frame(std::vector<uint8_t>(len, 0)).first);
	EXPECT_FALSE(frame({0, 1, 0, 0, 0, 0, 0, 0}).first); // count 0
	EXPECT_FALSE(frame({0, 1, 0, 1, 0, 1, 0, 0}).first); // seq >= count
	EXPECT_FALSE(frame({0, 1, 0, 0, 0, 1, 0, 1}).first); // reserved != 0
}
