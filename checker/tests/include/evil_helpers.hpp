// A header outside the app and the SDK: checked like the app's code.
#pragma once

#include <cstdint>

namespace evil {

inline uint32_t first_nonzero()
{
	static const uint32_t table[2] = {0, 1};
	const uint32_t *p = table;
	return *p;
}

} // namespace evil
