// netext-bench-linerate's pieces: the settings every run takes, the BMC and LB runs, and the
// helpers they share (CPU accounting, the DPDK bump child process).
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "runner.hpp"
#include "testbed.hpp"

namespace netext::bench::linerate {

// What a run takes: netext-bench-linerate's command line (main.cpp) fills it in.
struct Settings {
	std::string app = "bmc"; // bmc, lb or sink
	double duration = 3;
	double warm = 1;
	unsigned rounds = 3;
	std::vector<uint32_t> keys_per_get = {1, 10};
	uint32_t key_space = 10000;
	double zipf = 0;
	double miss = 0.05;
	uint32_t entries = 65536;
	uint32_t flows = 4096; // LB: established flows
	std::string configs;   // comma-separated subset of the configurations, "" = all
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

// An XDP program alone on the server's eth0 (native), for the configurations without an
// XDP app there: the generator's XDP_TX frames reach a veth only if it has XDP
// (FIELD-NOTES). Detached on destruction.
class ServerXdp {
public:
	ServerXdp(const netext::testing::Testbed &tb, int prog_fd);
	~ServerXdp();
	ServerXdp(const ServerXdp &) = delete;
	ServerXdp &operator=(const ServerXdp &) = delete;

private:
	std::string ns_;
	int ifindex_ = 0;
};

using DpdkBump = netext::bench::DpdkBump;

} // namespace netext::bench::linerate
