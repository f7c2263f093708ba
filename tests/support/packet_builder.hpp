// Builds test packets byte by byte, with checksums computed by a plain reference
// implementation independent of the SDK's, so tests can check one against the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netext::testing {

using Bytes = std::vector<uint8_t>;

struct Ipv6Ext {
	uint8_t type;	       // 0 hop-by-hop, 43 routing, 44 fragment, 60 dest-opts, 51 AH
	uint32_t len = 8;      // total bytes (multiple of 8; AH: multiple of 4)
	uint16_t frag_off = 0; // fragment header: offset in 8-byte units
	bool more = false;     // fragment header: M flag
};

struct PacketSpec {
	enum class Net { Ipv4, Ipv6, Arp, Raw } net = Net::Ipv4;
	std::vector<uint16_t> vlan_tpids; // outer first: 0x88a8 / 0x8100
	uint16_t vlan_id = 100;
	Bytes ipv4_options;	// multiple of 4
	uint16_t ipv4_frag = 0; // the frag_off field (host order)
	std::vector<Ipv6Ext> ipv6_ext;
	uint8_t proto = 17; // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, other: raw payload
	uint16_t sport = 40000, dport = 7;
	uint8_t tcp_flags = 0x18; // PSH|ACK
	uint32_t tcp_seq = 1000, tcp_ack = 2000;
	Bytes tcp_options; // multiple of 4
	uint8_t ttl = 64;
	uint8_t icmp_type = 8;
	Bytes payload;
	std::size_t pad_to = 0;			       // link-layer padding up to this frame length
	uint32_t src4 = 0xc6120001, dst4 = 0xc6120002; // 198.18.0.1 -> 198.18.0.2
	uint8_t src6_last = 1, dst6_last = 2;	       // 2001:db8::1 -> 2001:db8::2
	bool udp_zero_checksum = false;
};

Bytes build(const PacketSpec &s);

// RFC 1071 reference: one's-complement sum folded, not inverted.
uint16_t ref_sum(const uint8_t *p, std::size_t len, uint32_t seed = 0);

Bytes text(const std::string &s);

// Offsets into a built packet, for tests that poke at fields.
std::size_t l3_offset(const PacketSpec &s);
std::size_t l4_offset(const PacketSpec &s);

} // namespace netext::testing
