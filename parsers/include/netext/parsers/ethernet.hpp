// Ethernet with up to two VLAN tags (802.1Q, and 802.1ad outer + 802.1Q inner).
#pragma once

#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext {

inline constexpr uint32_t kMaxVlanTags = 2;

struct L2Info {
	uint32_t l3_off = 0; // where the network header starts
	be16 proto{};	     // the EtherType after any tags
	uint8_t vlan_count = 0;
	array<uint16_t, kMaxVlanTags> vlan_ids{};
};

// Parses Ethernet and VLAN tags. False if the frame is truncated or has more tags than
// kMaxVlanTags (such a frame is not one we can classify safely).
NETEXT_INLINE bool parse_ethernet(const PacketView &v, L2Info &out) noexcept
{
	Cursor c(v);
	Ref<EthHdr> eth = c.take<EthHdr>();
	if (!eth)
		return false;
	be16 proto = eth->proto;
	out.vlan_count = 0;
	for (uint32_t i = 0; i < kMaxVlanTags; i++) {
		if (!(proto == ethertype::Vlan || proto == ethertype::QinQ))
			break;
		Ref<VlanHdr> tag = c.take<VlanHdr>();
		if (!tag)
			return false;
		out.vlan_ids.set(i, tag->vid());
		out.vlan_count = static_cast<uint8_t>(i + 1);
		proto = tag->proto;
	}
	if (proto == ethertype::Vlan || proto == ethertype::QinQ)
		return false; // a third tag
	out.proto = proto;
	out.l3_off = c.offset();
	return true;
}

} // namespace netext
