#include <netext/parsers/memcached.hpp>

#include <gtest/gtest.h>
#include <string>

using namespace netext;
using namespace netext::memcached;

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

// The hash each key comes with is FNV-1a of its bytes, whatever their alignment in the
// packet and on either side of a word boundary.
TEST(Memcached, KeysComeWithTheirFnv1a)
{
	auto fnv = [](const std::string &s) {
		uint32_t h = 2166136261u;
		for (unsigned char c : s)
			h = (h ^ c) * 16777619u;
		return h;
	};
	std::string line = "get a 12345678 123456789 " + std::string(250, 'z') + " k\r\n";
	for (std::size_t pad = 0; pad < 9; pad++) {
		std::string padded = line;
		padded.insert(3, pad, ' ');
		Parsed p = parse(padded);
		ASSERT_EQ(p.status, Status::Ok);
		ASSERT_EQ(p.keys.size(), 5u);
		for (uint32_t i = 0; i < p.req.nkeys; i++)
			EXPECT_EQ(p.req.keys.at_or(i, Key{}).hash, fnv(p.keys[i])) << p.keys[i];
	}
	EXPECT_EQ(fnv("a"), 0xe40c292cu); // the published FNV-1a test vector
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
