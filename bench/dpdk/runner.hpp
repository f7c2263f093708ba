// netext-dpdk-bump (bench/dpdk/bump.cpp) as a child process on a testbed: the benchmark's
// DPDK configurations and the tests that run an app through DPDK (bmc.dpdk.*) start it
// with this. The bump goes between the server's eth0 and a TAP (dtap0) that takes over
// eth0's addresses; everything is put back, and the process stopped by its PID, on
// destruction.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

#include "testbed.hpp"

namespace netext::bench {

// netext-dpdk-bump run in the server namespace between its eth0 and a TAP that takes over
// eth0's addresses (and MAC), with the given app; stopped (by its PID) and the addresses
// moved back on destruction.
class DpdkBump {
public:
	DpdkBump(const netext::testing::Testbed &tb, const std::string &path,
		 const std::string &app, const std::vector<std::string> &extra_args = {});
	~DpdkBump();
	DpdkBump(const DpdkBump &) = delete;
	DpdkBump &operator=(const DpdkBump &) = delete;
	[[nodiscard]] pid_t pid() const noexcept { return pid_; }
	// What it printed so far.
	[[nodiscard]] std::string log() const;
	// One of the counters it writes every 50 ms to its stats file ("name value" lines),
	// 0 if absent.
	[[nodiscard]] double counter(const std::string &name) const;
	// What it said about memory (hugepages or --no-huge).
	[[nodiscard]] const std::string &memory() const noexcept { return memory_; }

private:
	void stop() noexcept;
	const netext::testing::Testbed &tb_;
	pid_t pid_ = -1;
	std::string log_path_;
	std::string stats_path_;
	std::string memory_;
};

} // namespace netext::bench
