// The fixture corpus of the example apps (counter, echo, tests/programs' edits), each case
// one step of fixture.hpp's shape with its verdict and output bytes: independent of each
// other, run through the host runner, BPF_PROG_TEST_RUN and the native differential.
#pragma once

#include <string>
#include <vector>

#include "fixture.hpp"
#include "packet_builder.hpp"

namespace netext::testing {

std::vector<Fixture<>> app_fixtures();

// The reply the echo app must produce for a request built from s.
Bytes echo_reply(PacketSpec s);

// Deterministic mutants of the fixtures' inputs: flipped bytes, truncations, extensions.
std::vector<Bytes> mutated_corpus(unsigned per_fixture, unsigned seed);

} // namespace netext::testing
