// All parsers: Ethernet/VLAN, IPv4, IPv6, UDP/TCP/ICMP, memcached, checksums.
#pragma once

#include <netext/parsers/checksums.hpp>
#include <netext/parsers/ethernet.hpp>
#include <netext/parsers/headers.hpp>
#include <netext/parsers/ipv4.hpp>
#include <netext/parsers/ipv6.hpp>
#include <netext/parsers/l4.hpp>
#include <netext/parsers/memcached.hpp>
#include <netext/parsers/packet_info.hpp>
