// Wire-format header structs. All are NoRef aggregates with natural alignment and no
// padding, so they are read in place from packet bytes.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/byteorder.hpp>
#include <netext/noref.hpp>

namespace netext {

using MacAddr = array<uint8_t, 6>;
using Ipv6Addr = array<uint8_t, 16>;

namespace ethertype {
inline constexpr be16 Ipv4 = be16::from_host(0x0800);
inline constexpr be16 Arp = be16::from_host(0x0806);
inline constexpr be16 Vlan = be16::from_host(0x8100); // 802.1Q
inline constexpr be16 QinQ = be16::from_host(0x88a8); // 802.1ad
inline constexpr be16 Ipv6 = be16::from_host(0x86dd);
} // namespace ethertype

namespace ipproto {
inline constexpr uint8_t HopByHop = 0;
inline constexpr uint8_t Icmp = 1;
inline constexpr uint8_t Ipip = 4;
inline constexpr uint8_t Tcp = 6;
inline constexpr uint8_t Udp = 17;
inline constexpr uint8_t Ipv6 = 41;
inline constexpr uint8_t Routing = 43;
inline constexpr uint8_t Fragment = 44;
inline constexpr uint8_t Esp = 50;
inline constexpr uint8_t Ah = 51;
inline constexpr uint8_t Icmpv6 = 58;
inline constexpr uint8_t NoNext = 59;
inline constexpr uint8_t DestOpts = 60;
} // namespace ipproto

struct EthHdr {
	MacAddr dst;
	MacAddr src;
	be16 proto;
};

struct VlanHdr {
	be16 tci; // priority (3 bits), DEI (1), VLAN id (12)
	be16 proto;
	[[nodiscard]] constexpr uint16_t vid() const noexcept { return tci.host() & 0x0fff; }
};

struct Ipv4Hdr {
	uint8_t version_ihl;
	uint8_t tos;
	be16 tot_len;
	be16 id;
	be16 frag_off; // flags (3 bits) and fragment offset (13 bits, in 8-byte units)
	uint8_t ttl;
	uint8_t protocol;
	be16 check;
	be32 saddr;
	be32 daddr;

	[[nodiscard]] constexpr uint8_t version() const noexcept { return version_ihl >> 4; }
	[[nodiscard]] constexpr uint8_t ihl() const noexcept { return version_ihl & 0x0f; }
	[[nodiscard]] constexpr uint32_t header_len() const noexcept { return ihl() * 4u; }
	[[nodiscard]] constexpr bool more_fragments() const noexcept
	{
		return (frag_off.host() & 0x2000) != 0;
	}
	[[nodiscard]] constexpr uint16_t fragment_offset() const noexcept
	{
		return frag_off.host() & 0x1fff;
	}
};

struct Ipv6Hdr {
	be32 ver_tc_flow; // version (4 bits), traffic class (8), flow label (20)
	be16 payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	Ipv6Addr saddr;
	Ipv6Addr daddr;

	[[nodiscard]] constexpr uint8_t version() const noexcept
	{
		return static_cast<uint8_t>(ver_tc_flow.host() >> 28);
	}
};

// The common start of hop-by-hop, routing, destination-options and AH headers.
struct Ipv6ExtHdr {
	uint8_t nexthdr;
	uint8_t hdrlen;
};

struct Ipv6FragHdr {
	uint8_t nexthdr;
	uint8_t reserved;
	be16 frag_off; // offset (13 bits, 8-byte units), 2 reserved bits, M flag
	be32 id;
};

struct UdpHdr {
	be16 source;
	be16 dest;
	be16 len;
	be16 check;
};

struct TcpHdr {
	be16 source;
	be16 dest;
	be32 seq;
	be32 ack_seq;
	uint8_t doff_res; // data offset (4 bits, in 32-bit words), reserved
	uint8_t flags;	  // CWR ECE URG ACK PSH RST SYN FIN
	be16 window;
	be16 check;
	be16 urg_ptr;

	static constexpr uint8_t Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;
	[[nodiscard]] constexpr uint32_t header_len() const noexcept
	{
		return (doff_res >> 4) * 4u;
	}
};

// ICMP and ICMPv6 share this layout (the last four bytes depend on the type).
struct IcmpHdr {
	uint8_t type;
	uint8_t code;
	be16 checksum;
	be16 id;
	be16 seq;
};

// The 8-byte frame header memcached puts before each UDP datagram's payload.
struct McUdpHdr {
	be16 request_id;
	be16 seq;
	be16 count;
	be16 reserved;
};

static_assert(sizeof(EthHdr) == 14 && NoRef<EthHdr>);
static_assert(sizeof(VlanHdr) == 4 && NoRef<VlanHdr>);
static_assert(sizeof(Ipv4Hdr) == 20 && NoRef<Ipv4Hdr>);
static_assert(sizeof(Ipv6Hdr) == 40 && NoRef<Ipv6Hdr>);
static_assert(sizeof(Ipv6FragHdr) == 8 && NoRef<Ipv6FragHdr>);
static_assert(sizeof(UdpHdr) == 8 && NoRef<UdpHdr>);
static_assert(sizeof(TcpHdr) == 20 && NoRef<TcpHdr>);
static_assert(sizeof(IcmpHdr) == 8 && NoRef<IcmpHdr>);
static_assert(sizeof(McUdpHdr) == 8 && NoRef<McUdpHdr>);

} // namespace netext
