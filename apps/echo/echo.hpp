// The echo app's constants and stats layout.
#pragma once

#include <cstdint>

namespace netext::echo {

inline constexpr uint16_t kDefaultPort = 7; // RFC 862
inline constexpr uint8_t kReplyTtl = 64;

enum Stat : uint32_t { Replied, Passed, kStats };

} // namespace netext::echo
