// The counter app's stats layout, shared by the program and user space.
#pragma once

#include <cstdint>

namespace netext::counter {

struct Counter {
	uint64_t packets;
	uint64_t bytes;
};

enum Class : uint32_t {
	Ipv4Tcp,
	Ipv4Udp,
	Ipv4Icmp,
	Ipv4Other,
	Ipv6Tcp,
	Ipv6Udp,
	Ipv6Icmp,
	Ipv6Other,
	Arp,
	Other,
	Malformed,
	kClasses
};

enum HookIndex : uint32_t { HookXdp, HookTcIngress, HookTcEgress, kHooks };

// One slot per (hook, class): index hook * kClasses + class.
inline constexpr uint32_t kSlots = uint32_t{kHooks} * uint32_t{kClasses};
constexpr uint32_t slot(uint32_t hook, uint32_t cls)
{
	return hook * uint32_t{kClasses} + cls;
}

// Fixed-size character arrays, not pointers: the header is app code (netext-check).
inline constexpr char kClassNames[kClasses][12] = {
	"ipv4/tcp",  "ipv4/udp",   "ipv4/icmp", "ipv4/other", "ipv6/tcp", "ipv6/udp",
	"ipv6/icmp", "ipv6/other", "arp",	"other",      "malformed"};
inline constexpr char kHookNames[kHooks][12] = {"xdp", "tc-ingress", "tc-egress"};

} // namespace netext::counter
