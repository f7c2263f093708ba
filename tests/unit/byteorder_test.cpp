#include <netext/array.hpp>
#include <netext/byteorder.hpp>

#include <cstring>
#include <gtest/gtest.h>

using namespace netext;
using namespace netext::literals;

TEST(ByteOrder, StoresBigEndianBytes)
{
	be16 a = be16::from_host(0x1234);
	be32 b = be32::from_host(0x01020304);
	be64 c = be64::from_host(0x0102030405060708ull);
	uint8_t raw[8];
	std::memcpy(raw, &a, 2);
	EXPECT_EQ(raw[0], 0x12);
	EXPECT_EQ(raw[1], 0x34);
	std::memcpy(raw, &b, 4);
	EXPECT_EQ(raw[0], 0x01);
	EXPECT_EQ(raw[3], 0x04);
	std::memcpy(raw, &c, 8);
	EXPECT_EQ(raw[0], 0x01);
	EXPECT_EQ(raw[7], 0x08);
}

TEST(ByteOrder, RoundTripsAndCompares)
{
	for (uint32_t v : {0u, 1u, 0x80u, 0xffffu, 0x12345678u, 0xffffffffu}) {
		EXPECT_EQ(be32::from_host(v).host(), v);
		EXPECT_EQ(be32::from_raw(be32::from_host(v).raw()), be32::from_host(v));
	}
	EXPECT_EQ(0x0800_be16, be16::from_host(0x0800));
	EXPECT_FALSE(0x0800_be16 == 0x0008_be16);
	static_assert(hton16(0x86dd).host() == 0x86dd);
}

TEST(Array, CheckedAccess)
{
	array<uint8_t, 4> a{1, 2, 3, 4};
	EXPECT_EQ(a.get<0>(), 1);
	EXPECT_EQ(a.at_or(3, 0), 4);
	EXPECT_EQ(a.at_or(4, 99), 99); // out of range: the fallback, not memory past the end
	EXPECT_TRUE(a.set(2, 7));
	EXPECT_FALSE(a.set(4, 7));
	EXPECT_EQ(a.at_or(2, 0), 7);
	array<uint8_t, 4> b = a;
	EXPECT_EQ(a, b);
	b.set(0, 9);
	EXPECT_FALSE(a == b);
}
