// pktcount's counter layout, shared by the program and whoever reads the map.
#pragma once

#include <cstdint>

namespace pktcount {

enum Class : uint32_t { Icmp, Tcp, Udp, Other, kClasses };

} // namespace pktcount
