// An app header: #pragma once is the one pragma allowed.
#pragma once

#include <cstdint>

namespace netext::attrs_app {

struct alignas(8) Stats {
	uint32_t seen;
	uint32_t dropped;
};

[[nodiscard]] constexpr uint32_t half(uint32_t x) noexcept
{
	return x / 2;
}

} // namespace netext::attrs_app
