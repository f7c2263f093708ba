#pragma once

#include <cstdint>

namespace helpers {

inline constexpr uint32_t kOffset = 14;

constexpr bool is_odd(uint8_t b)
{
	return (b & 1) != 0;
}

} // namespace helpers
