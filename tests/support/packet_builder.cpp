#include "packet_builder.hpp"

#include <cstring>
#include <stdexcept>

namespace netext::testing {

namespace {

void put16(Bytes &b, uint16_t v)
{
	b.push_back(static_cast<uint8_t>(v >> 8));
	b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes &b, uint32_t v)
{
	put16(b, static_cast<uint16_t>(v >> 16));
	put16(b, static_cast<uint16_t>(v));
}
void set16(Bytes &b, std::size_t off, uint16_t v)
{
	b[off] = static_cast<uint8_t>(v >> 8);
	b[off + 1] = static_cast<uint8_t>(v);
}

Bytes ipv6_addr(uint8_t last)
{
	Bytes a = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
	return a;
}

std::size_t ext_len(const PacketSpec &s)
{
	std::size_t n = 0;
	for (const Ipv6Ext &e : s.ipv6_ext)
		n += e.type == 44 ? 8 : e.len;
	return n;
}

} // namespace

uint16_t ref_sum(const uint8_t *p, std::size_t len, uint32_t seed)
{
	uint64_t sum = seed;
	for (std::size_t i = 0; i + 1 < len; i += 2)
		sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += static_cast<uint32_t>(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(sum);
}

Bytes text(const std::string &s)
{
	return {s.begin(), s.end()};
}

std::size_t l3_offset(const PacketSpec &s)
{
	return 14 + 4 * s.vlan_tpids.size();
}

std::size_t l4_offset(const PacketSpec &s)
{
	if (s.net == PacketSpec::Net::Ipv4)
		return l3_offset(s) + 20 + s.ipv4_options.size();
	return l3_offset(s) + 40 + ext_len(s);
}

Bytes build(const PacketSpec &s)
{
	Bytes b = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}; // dst, src MACs
	for (uint16_t tpid : s.vlan_tpids) {
		put16(b, tpid);
		put16(b, s.vlan_id);
	}
	using Net = PacketSpec::Net;
	uint16_t ethertype = s.net == Net::Ipv4	  ? 0x0800
			     : s.net == Net::Ipv6 ? 0x86dd
			     : s.net == Net::Arp  ? 0x0806
						  : 0x88b5;
	put16(b, ethertype);
	if (s.net == Net::Arp || s.net == Net::Raw) {
		if (s.net == Net::Arp) // request 198.18.0.1 asks for 198.18.0.2
			for (uint8_t x : Bytes{0,   1,	8, 0, 6, 4, 0, 1, 2, 0, 0,   0,	 0, 1,
					       198, 18, 0, 1, 0, 0, 0, 0, 0, 0, 198, 18, 0, 2})
				b.push_back(x);
		b.insert(b.end(), s.payload.begin(), s.payload.end());
		while (b.size() < s.pad_to)
			b.push_back(0);
		return b;
	}

	// Transport segment first (its checksum needs the pseudo-header).
	Bytes l4;
	std::size_t check_at = SIZE_MAX;
	if (s.proto == 17) {
		put16(l4, s.sport);
		put16(l4, s.dport);
		put16(l4, static_cast<uint16_t>(8 + s.payload.size()));
		put16(l4, 0);
		check_at = 6;
	} else if (s.proto == 6) {
		put16(l4, s.sport);
		put16(l4, s.dport);
		put32(l4, s.tcp_seq);
		put32(l4, s.tcp_ack);
		l4.push_back(static_cast<uint8_t>((5 + s.tcp_options.size() / 4) << 4));
		l4.push_back(s.tcp_flags);
		put16(l4, 65535);
		put16(l4, 0);
		put16(l4, 0);
		l4.insert(l4.end(), s.tcp_options.begin(), s.tcp_options.end());
		check_at = 16;
	} else if (s.proto == 1 || s.proto == 58) {
		l4.push_back(s.proto == 58 && s.icmp_type == 8 ? 128 : s.icmp_type);
		l4.push_back(0);
		put16(l4, 0);
		put16(l4, 0x1234);
		put16(l4, 1);
		check_at = 2;
	}
	l4.insert(l4.end(), s.payload.begin(), s.payload.end());

	uint32_t pseudo = 0;
	if (s.net == Net::Ipv4) {
		std::size_t ihl = 20 + s.ipv4_options.size();
		std::size_t ip = b.size();
		b.push_back(static_cast<uint8_t>(0x40 | ihl / 4));
		b.push_back(0);
		put16(b, static_cast<uint16_t>(ihl + l4.size()));
		put16(b, 0x4242);
		put16(b, s.ipv4_frag);
		b.push_back(s.ttl);
		b.push_back(s.proto);
		put16(b, 0);
		put32(b, s.src4);
		put32(b, s.dst4);
		b.insert(b.end(), s.ipv4_options.begin(), s.ipv4_options.end());
		set16(b, ip + 10, static_cast<uint16_t>(~ref_sum(&b[ip], ihl)));
		pseudo = (s.src4 >> 16) + (s.src4 & 0xffff) + (s.dst4 >> 16) + (s.dst4 & 0xffff) +
			 s.proto + static_cast<uint32_t>(l4.size());
	} else {
		std::size_t ext = ext_len(s);
		put32(b, 0x60000000);
		put16(b, static_cast<uint16_t>(ext + l4.size()));
		b.push_back(s.ipv6_ext.empty() ? s.proto : s.ipv6_ext[0].type);
		b.push_back(s.ttl);
		Bytes src = ipv6_addr(s.src6_last), dst = ipv6_addr(s.dst6_last);
		b.insert(b.end(), src.begin(), src.end());
		b.insert(b.end(), dst.begin(), dst.end());
		for (std::size_t i = 0; i < s.ipv6_ext.size(); i++) {
			const Ipv6Ext &e = s.ipv6_ext[i];
			uint8_t next = i + 1 < s.ipv6_ext.size() ? s.ipv6_ext[i + 1].type : s.proto;
			b.push_back(next);
			if (e.type == 44) {
				b.push_back(0);
				put16(b, static_cast<uint16_t>(e.frag_off << 3 | (e.more ? 1 : 0)));
				put32(b, 0xabcd);
				continue;
			}
			b.push_back(
				static_cast<uint8_t>(e.type == 51 ? e.len / 4 - 2 : e.len / 8 - 1));
			for (std::size_t k = 2; k < e.len; k++)
				b.push_back(k == 2 && e.type != 51 ? 1 : 0); // a PadN option
		}
		Bytes pseudo_bytes = src;
		pseudo_bytes.insert(pseudo_bytes.end(), dst.begin(), dst.end());
		pseudo = ref_sum(pseudo_bytes.data(), pseudo_bytes.size()) +
			 static_cast<uint32_t>(l4.size()) + s.proto;
	}
	if (check_at != SIZE_MAX && !(s.proto == 1)) {
		uint16_t c = static_cast<uint16_t>(~ref_sum(l4.data(), l4.size(), pseudo));
		if (s.proto == 17 && c == 0)
			c = 0xffff;
		if (s.proto == 17 && s.udp_zero_checksum && s.net == Net::Ipv4)
			c = 0;
		set16(l4, check_at, c);
	} else if (s.proto == 1) { // ICMPv4 has no pseudo-header
		set16(l4, check_at, static_cast<uint16_t>(~ref_sum(l4.data(), l4.size())));
	}
	b.insert(b.end(), l4.begin(), l4.end());
	while (b.size() < s.pad_to)
		b.push_back(0);
	return b;
}

} // namespace netext::testing
