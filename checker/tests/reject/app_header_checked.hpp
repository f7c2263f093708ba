#pragma once

#include <cstdint>

namespace app {

inline bool any(uint32_t n)
{
	uint32_t *p = nullptr;
	return n != 0 || p;
}

} // namespace app
