// The fixture corpus of the example apps: input packet, program, expected verdict and
// expected output bytes. Run through the host runner and through BPF_PROG_TEST_RUN.
#pragma once

#include <string>
#include <vector>

#include "packet_builder.hpp"

namespace netext::testing {

struct Fixture {
	std::string name;
	std::string app;
	std::string program;
	Bytes input;
	int32_t verdict;
	Bytes output;
};

std::vector<Fixture> app_fixtures();

// The reply the echo app must produce for a request built from s.
Bytes echo_reply(PacketSpec s);

// Deterministic mutants of the fixtures' inputs: flipped bytes, truncations, extensions.
std::vector<Bytes> mutated_corpus(unsigned per_fixture, unsigned seed);

} // namespace netext::testing
