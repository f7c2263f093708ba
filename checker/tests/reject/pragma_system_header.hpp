// An app header that declares itself a system header, so that it would not be checked.
#pragma once
#pragma GCC system_header

#include <cstdint>

inline uint32_t unchecked_helper(uint32_t x)
{
	return x + 1;
}
