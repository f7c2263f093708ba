#include <netext/checksum.hpp>
#include <netext/parsers.hpp>

#include <gtest/gtest.h>
#include <random>

#include "frame.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;

namespace {
PacketView view_of(Bytes &b)
{
	return {b.data(), b.data() + b.size()};
}
} // namespace

TEST(Checksum, PartialMatchesReferenceForEveryLength)
{
	std::mt19937 rng(1);
	for (uint32_t len = 0; len <= 300; len++) {
		Bytes b(len + 3);
		for (auto &x : b)
			x = static_cast<uint8_t>(rng());
		for (uint32_t off = 0; off < 3; off++) {
			PacketView v = view_of(b);
			uint16_t got = csum::fold(csum::partial<1500>(v, off, len, 0x1234));
			EXPECT_EQ(got, ref_sum(b.data() + off, len, 0x1234)) << len << "+" << off;
		}
	}
}

TEST(Checksum, PartialRefusesOutOfRange)
{
	Bytes b(10, 0xff);
	PacketView v = view_of(b);
	EXPECT_EQ(csum::partial<64>(v, 4, 7, 5), 5u); // past the end: sum unchanged
	EXPECT_EQ(csum::partial<4>(v, 0, 6, 5), 5u);  // longer than MaxLen
}

TEST(Checksum, IncrementalUpdateMatchesRecompute)
{
	std::mt19937 rng(2);
	for (int i = 0; i < 2000; i++) {
		Bytes b(20);
		for (auto &x : b)
			x = static_cast<uint8_t>(rng());
		b[10] = b[11] = 0;
		uint16_t c = static_cast<uint16_t>(~ref_sum(b.data(), b.size()));
		b[10] = static_cast<uint8_t>(c >> 8);
		b[11] = static_cast<uint8_t>(c);
		// change a 16-bit field and a 32-bit field, update incrementally
		uint16_t old16 = static_cast<uint16_t>(b[2] << 8 | b[3]);
		uint16_t new16 = static_cast<uint16_t>(rng());
		uint32_t old32 =
			static_cast<uint32_t>(b[12] << 24 | b[13] << 16 | b[14] << 8 | b[15]);
		uint32_t new32 = static_cast<uint32_t>(rng());
		be16 check = be16::from_host(c);
		check = csum::update16(check, be16::from_host(old16), be16::from_host(new16));
		check = csum::update32(check, be32::from_host(old32), be32::from_host(new32));
		b[2] = static_cast<uint8_t>(new16 >> 8);
		b[3] = static_cast<uint8_t>(new16);
		for (int k = 0; k < 4; k++)
			b[12 + k] = static_cast<uint8_t>(new32 >> (24 - 8 * k));
		b[10] = static_cast<uint8_t>(check.host() >> 8);
		b[11] = static_cast<uint8_t>(check.host());
		// a header with a correct checksum sums to 0xffff (RFC 1071)
		ASSERT_EQ(ref_sum(b.data(), b.size()), 0xffff) << i;
	}
}

TEST(Checksum, Ipv4HeaderWithAndWithoutOptions)
{
	for (std::size_t opts : {0, 4, 40}) {
		PacketSpec s;
		s.ipv4_options.assign(opts, 1); // NOP options
		Frame f(build(s));
		PacketView v = f.view();
		uint32_t ip = l3_offset(s);
		be16 stored = v.get<Ipv4Hdr>(ip)->check;
		EXPECT_EQ(csum::ipv4_header(v, ip, 20 + opts), stored);
		v.get<Ipv4Hdr>(ip)->ttl--;
		EXPECT_FALSE(csum::ipv4_header(v, ip, 20 + opts) == stored);
	}
}

TEST(Checksum, TransportChecksumsWithPseudoHeaders)
{
	for (auto net : {PacketSpec::Net::Ipv4, PacketSpec::Net::Ipv6}) {
		for (uint8_t proto : {uint8_t{6}, uint8_t{17}}) {
			for (std::size_t n : {0, 1, 2, 63, 64, 65, 1000, 1401}) {
				PacketSpec s;
				s.net = net;
				s.proto = proto;
				s.payload.assign(n, static_cast<uint8_t>(n));
				Frame f(build(s));
				PacketView v = f.view();
				PacketInfo info;
				ASSERT_EQ(parse_packet(v, info), Parse::Ok);
				uint32_t l4len = info.l3_end - info.l4info.off;
				uint32_t pseudo =
					net == PacketSpec::Net::Ipv4
						? csum::pseudo_v4(info.v4.saddr, info.v4.daddr,
								  proto, l4len)
						: csum::pseudo_v6(v, info.l3_off, proto, l4len);
				uint32_t check_off = proto == 6 ? 16 : 6;
				be16 want = csum::l4(v, pseudo, info.l4info.off, l4len, check_off);
				if (proto == 17)
					want = csum::udp_nonzero(want);
				Ref<be16> stored = v.get<be16>(info.l4info.off + check_off);
				EXPECT_EQ(want, *stored) << int(proto) << " " << n;
			}
		}
	}
}
