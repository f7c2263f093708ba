// The map-value codec behind `netext map`: typed fields to text and back, hex for the rest,
// per-CPU sums, and errors that name the text and the accepted forms.
#include <netext/loader/error.hpp>
#include <netext/loader/map_codec.hpp>

#include <gtest/gtest.h>

#include <cstring>

using namespace netext;
using namespace netext::loader;

namespace {

const std::vector<Field> kVip = {{"addr", Field::Type::Ipv4, 0, 4},
				 {"port", Field::Type::Be16, 4, 2},
				 {"proto", Field::Type::U8, 6, 1},
				 {"pad", Field::Type::U8, 7, 1},
				 {"count", Field::Type::U64, 8, 8}};

std::string usage_message(const std::vector<Field> &f, const std::string &text, std::size_t n)
{
	try {
		parse_typed(f, text, n, "key");
	} catch (const Error &e) {
		EXPECT_EQ(e.code(), ExitCode::Usage) << text;
		return e.what();
	}
	ADD_FAILURE() << "'" << text << "' was accepted";
	return "";
}

} // namespace

TEST(MapCodec, FormatsEachFieldType)
{
	uint8_t v[16] = {198, 18, 1, 10, 0x01, 0xbb, 6, 0};
	uint64_t count = 1234567890123;
	std::memcpy(v + 8, &count, 8);
	EXPECT_EQ(format_fields(kVip, v, sizeof(v)),
		  "addr=198.18.1.10 port=443 proto=6 pad=0 count=1234567890123");
	uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0xab};
	EXPECT_EQ(format_fields({{"mac", Field::Type::Mac, 0, 6}}, mac, 6),
		  "mac=02:00:00:00:00:ab");
	uint8_t six[16] = {0x20, 0x01, 0x0d, 0xb8};
	six[15] = 1;
	EXPECT_EQ(format_fields({{"a", Field::Type::Ipv6, 0, 16}}, six, 16), "a=2001:db8::1");
	EXPECT_EQ(format_fields({{"b", Field::Type::Bytes, 0, 3}}, six, 3), "b=hex:20010d");
}

TEST(MapCodec, UndeclaredTypesAreHexBothWays)
{
	const uint8_t raw[4] = {0xde, 0xad, 0x00, 0x01};
	EXPECT_EQ(format_fields({}, raw, 4), "hex:dead0001");
	EXPECT_EQ(parse_typed({}, "hex:dead0001", 4, "key"), std::vector<uint8_t>(raw, raw + 4));
	EXPECT_NE(usage_message({}, "hex:dead", 4).find("expected 8 hex digits"),
		  std::string::npos);
	EXPECT_NE(usage_message({}, "hex:zzzzzzzz", 4).find("not hex"), std::string::npos);
	EXPECT_NE(usage_message({}, "5", 4).find("this map's types are not declared"),
		  std::string::npos);
}

TEST(MapCodec, ParsesWhatItFormats)
{
	const std::vector<Field> one = {{"", Field::Type::U32, 0, 4}};
	std::vector<uint8_t> seven = parse_typed(one, "7", 4, "key");
	EXPECT_EQ(format_fields(one, seven.data(), 4), "7");
	EXPECT_EQ(parse_typed(one, "0x10", 4, "key"), (std::vector<uint8_t>{16, 0, 0, 0}));
	const std::vector<Field> pair = {{"packets", Field::Type::U64, 0, 8},
					 {"bytes", Field::Type::U64, 8, 8}};
	std::vector<uint8_t> v = parse_typed(pair, "bytes=99,packets=3", 16, "value");
	EXPECT_EQ(format_fields(pair, v.data(), v.size()), "packets=3 bytes=99");
}

TEST(MapCodec, BadTextIsAUsageErrorNamingTheForms)
{
	const std::vector<Field> pair = {{"packets", Field::Type::U64, 0, 8},
					 {"bytes", Field::Type::U64, 8, 8}};
	std::string m = usage_message(pair, "packets=x", 16);
	EXPECT_NE(m.find("cannot parse key 'packets=x'"), std::string::npos) << m;
	EXPECT_NE(m.find("'x' is not a number"), std::string::npos) << m;
	EXPECT_NE(m.find("or field=value pairs"), std::string::npos) << m;
	EXPECT_NE(usage_message(pair, "frames=1", 16).find("no field 'frames'"), std::string::npos);
	EXPECT_NE(usage_message(pair, "packets", 16).find("expected field=value"),
		  std::string::npos);
	EXPECT_NE(usage_message(kVip, "addr=1", 16).find("field 'addr' takes hex only"),
		  std::string::npos);
}

TEST(MapCodec, PerCpuValuesAreSummedFieldByField)
{
	MapInfo m;
	m.info.value_size = 12;
	m.per_cpu = true;
	m.cpus = 3;
	m.stride = 16;
	const std::vector<Field> f = {{"packets", Field::Type::U64, 0, 8},
				      {"drops", Field::Type::U32, 8, 4}};
	std::vector<uint8_t> raw(m.cpus * m.stride, 0);
	for (std::size_t c = 0; c < m.cpus; c++) {
		uint64_t p = 10 * (c + 1);
		uint32_t d = static_cast<uint32_t>(c);
		std::memcpy(raw.data() + c * m.stride, &p, 8);
		std::memcpy(raw.data() + c * m.stride + 8, &d, 4);
	}
	std::vector<uint8_t> sum = summed(m, f, raw);
	ASSERT_EQ(sum.size(), 12u);
	EXPECT_EQ(format_fields(f, sum.data(), sum.size()), "packets=60 drops=3");
	m.per_cpu = false; // a plain map: the value as it is
	EXPECT_EQ(format_fields(f, summed(m, f, raw).data(), 12), "packets=10 drops=0");
}
