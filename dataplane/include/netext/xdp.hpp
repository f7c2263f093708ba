// Everything an XDP program needs: contexts, verdicts, packet views, maps, parsers.
#pragma once

#include <netext/arith.hpp>
#include <netext/array.hpp>
#include <netext/byteorder.hpp>
#include <netext/checksum.hpp>
#include <netext/config.hpp>
#include <netext/context.hpp>
#include <netext/maps.hpp>
#include <netext/noref.hpp>
#include <netext/packet.hpp>
#include <netext/parsers.hpp>
#include <netext/program.hpp>
#include <netext/runtime.hpp>
#include <netext/verdict.hpp>
