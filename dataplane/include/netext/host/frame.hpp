// The host backend's stand-in for the kernel's xdp_buff / sk_buff: one linear buffer
// with headroom and tailroom, laid out as the kernel lays out a test-run frame.
#pragma once

#include <cstdint>

namespace netext::host {

inline constexpr uint32_t kFrameSize = 4096;	 // one page, as BPF_PROG_TEST_RUN uses
inline constexpr uint32_t kHeadroom = 256;	 // XDP_PACKET_HEADROOM
inline constexpr uint32_t kTailroom = 320;	 // SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
inline constexpr uint32_t kXdpFrameReserve = 40; // sizeof(struct xdp_frame): adjust_head floor
inline constexpr uint32_t kEthHeaderLen = 14;

struct Frame {
	uint8_t *hard_start = nullptr; // start of the buffer
	uint8_t *hard_end = nullptr;   // last byte the packet may reach (before tailroom)
	uint8_t *data_meta = nullptr;
	uint8_t *data = nullptr;
	uint8_t *data_end = nullptr;
	uint32_t ingress_ifindex = 1;
	uint32_t rx_queue_index = 0;
	uint32_t redirect_ifindex = 0; // set by redirect()
	uint32_t mark = 0;	       // tc: skb->mark
	uint16_t protocol = 0;	       // tc: skb->protocol, network order
};

} // namespace netext::host
