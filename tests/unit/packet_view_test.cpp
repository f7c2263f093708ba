#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

#include <gtest/gtest.h>
#include <vector>

using namespace netext;

namespace {
// An exactly-sized heap buffer: AddressSanitizer reports any read past its end.
struct Buf {
	std::vector<uint8_t> bytes;
	explicit Buf(std::vector<uint8_t> b) : bytes(std::move(b)) {}
	PacketView view() { return {bytes.data(), bytes.data() + bytes.size()}; }
};
} // namespace

TEST(PacketView, GetIsBoundedByTheEnd)
{
	Buf b({1, 2, 3, 4, 5, 6, 7, 8});
	PacketView v = b.view();
	EXPECT_EQ(v.size(), 8u);
	EXPECT_TRUE(v.get<uint32_t>(0));
	EXPECT_TRUE(v.get<uint32_t>(4));
	EXPECT_FALSE(v.get<uint32_t>(5));
	EXPECT_FALSE(v.get<uint64_t>(1));
	EXPECT_FALSE(v.get<uint8_t>(8));
	EXPECT_FALSE(v.get<uint8_t>(0xffffffffu)); // no wrap-around
	EXPECT_FALSE(v.get<uint8_t>(kMaxPacketOffset + 1));
	EXPECT_EQ(v.byte(7), 8);
	EXPECT_EQ(v.byte(8), -1);
	Ref<be16> w = v.get<be16>(2);
	ASSERT_TRUE(w);
	EXPECT_EQ(w->host(), 0x0304);
}

TEST(PacketView, EmptyViewYieldsNothing)
{
	PacketView v;
	EXPECT_TRUE(v.empty());
	EXPECT_FALSE(v.get<uint8_t>(0));
	EXPECT_EQ(v.find<16>('a', 0), -1);
	EXPECT_FALSE(v.equals(0, "a"));
}

TEST(PacketView, LoadAndStore)
{
	Buf b({0, 0, 0, 0, 0, 0});
	PacketView v = b.view();
	EXPECT_TRUE(v.store(2, be32::from_host(0xdeadbeef)));
	EXPECT_FALSE(v.store(3, be32::from_host(1))); // would cross the end: untouched
	EXPECT_EQ(b.bytes, (std::vector<uint8_t>{0, 0, 0xde, 0xad, 0xbe, 0xef}));
	be32 out = be32::from_host(7);
	EXPECT_FALSE(v.load(4, out));
	EXPECT_EQ(out.host(), 7u);
	EXPECT_TRUE(v.load(2, out));
	EXPECT_EQ(out.host(), 0xdeadbeefu);
}

TEST(PacketView, SubViewsAreClipped)
{
	Buf b({'a', 'b', 'c', 'd', 'e'});
	PacketView v = b.view();
	EXPECT_EQ(v.sub(1, 2).size(), 2u);
	EXPECT_EQ(v.sub(3, 10).size(), 2u);
	EXPECT_EQ(v.sub(5, 1).size(), 0u);
	EXPECT_TRUE(v.sub(6, 1).empty());
	EXPECT_EQ(v.from(2).size(), 3u);
	EXPECT_TRUE(v.from(9).empty());
	EXPECT_TRUE(v.sub(1, 2).equals(0, "bc"));
	EXPECT_FALSE(v.sub(1, 2).equals(0, "bcd")); // the sub-view ends at 'c'
	EXPECT_FALSE(v.sub(1, 2).get<uint8_t>(2));
}

TEST(PacketView, FindAndCompare)
{
	Buf b({'g', 'e', 't', ' ', 'k', '\r', '\n', 'x', '\r'});
	PacketView v = b.view();
	EXPECT_EQ(v.find<64>(' ', 0), 3);
	EXPECT_EQ(v.find<3>(' ', 0), -1); // MaxScan bounds the search
	EXPECT_EQ(v.find<64>('z', 0), -1);
	EXPECT_EQ(v.find_crlf<64>(0), 5);
	EXPECT_EQ(v.find_crlf<64>(6), -1); // a lone '\r' at the end is not a match
	EXPECT_TRUE(v.equals(0, "get "));
	EXPECT_FALSE(v.equals(0, "gets"));
	EXPECT_FALSE(v.equals(7, "x\r\n"));
	EXPECT_TRUE(v.equal_range<16>(0, v, 0, 4));
	EXPECT_FALSE(v.equal_range<16>(0, v, 1, 4));
	EXPECT_FALSE(v.equal_range<16>(6, v, 0, 4)); // out of bounds on one side
	EXPECT_TRUE(v.write(4, "K"));
	EXPECT_EQ(b.bytes[4], 'K');
	EXPECT_FALSE(v.write(8, "ab"));
	EXPECT_EQ(b.bytes[8], '\r');
}

TEST(PacketView, CursorAdvancesOnlyOnSuccess)
{
	Buf b(std::vector<uint8_t>(16, 0));
	Cursor c(b.view());
	EXPECT_TRUE(c.take<EthHdr>());
	EXPECT_EQ(c.offset(), 14u);
	EXPECT_FALSE(c.take<VlanHdr>());
	EXPECT_EQ(c.offset(), 14u);
	EXPECT_TRUE(c.skip(2));
	EXPECT_FALSE(c.skip(1));
	EXPECT_EQ(c.offset(), 16u);
}
