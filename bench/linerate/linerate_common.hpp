// netext-bench-linerate's pieces: the settings every run takes, the BMC and LB runs, and the
// helpers they share (CPU accounting, the DPDK bump child process).
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "testbed.hpp"

namespace netext::bench::linerate {

struct Settings {
	double duration = 3;
	double warm = 1;
	unsigned rounds = 3;
	std::vector<uint32_t> keys_per_get = {1, 10};
	uint32_t key_space = 10000;
	double zipf = 0;
	double miss = 0.05;
	uint32_t entries = 65536;
	std::string configs; // comma-separated subset of the configurations, "" = all
	std::string csv, png, plot;
	std::string dpdk;		 // netext-dpdk-bump's path ("" = no DPDK configuration)
	std::string dpdk_pmd = "af_xdp"; // the wire's PMD: af_xdp or af_packet
	[[nodiscard]] bool wants(const std::string &config) const;
};

int run_bmc(const Settings &s, bool sink_only);
int run_lb(const Settings &s);

// CPU seconds used so far by a process (all its threads: user + system).
double process_cpu_s(pid_t pid);
// Cumulative run time (seconds) of an eBPF program by id (kernel.bpf_stats_enabled must be
// on: see StatsEnabled); 0 if it is gone.
double prog_run_s(uint32_t prog_id);
// The id of the XDP program on ifname in namespace ns (0 if none).
uint32_t xdp_prog_id(const std::string &ns, const char *ifname);

// Keeps the kernel's per-program run-time statistics on while it lives (BPF_ENABLE_STATS).
class StatsEnabled {
public:
	StatsEnabled();
	~StatsEnabled();
	StatsEnabled(const StatsEnabled &) = delete;
	StatsEnabled &operator=(const StatsEnabled &) = delete;

private:
	int fd_ = -1;
};

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

} // namespace netext::bench::linerate
