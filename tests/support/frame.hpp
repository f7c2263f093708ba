// A packet in an exactly-sized heap allocation whose data starts 2 bytes into an aligned
// block (NET_IP_ALIGN), as a driver lays out a receive buffer: protocol headers land at
// their natural alignment (UBSan's alignment check stays on), and AddressSanitizer
// reports any read past the packet's end.
#pragma once

#include <netext/packet.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace netext::testing {

class Frame {
public:
	static constexpr std::size_t kIpAlign = 2;

	explicit Frame(const std::vector<uint8_t> &bytes, std::size_t len = SIZE_MAX)
		: len_(std::min(len, bytes.size())), mem_(new uint8_t[len_ + kIpAlign])
	{
		std::copy(bytes.begin(), bytes.begin() + static_cast<long>(len_), data());
	}
	uint8_t *data() { return mem_.get() + kIpAlign; }
	PacketView view() { return {data(), data() + len_}; }

private:
	std::size_t len_;
	std::unique_ptr<uint8_t[]> mem_;
};

} // namespace netext::testing
