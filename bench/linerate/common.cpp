#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "linerate_common.hpp"

namespace netext::bench::linerate {

using netext::testing::Testbed;

bool Settings::wants(const std::string &config) const
{
	if (configs.empty())
		return true;
	std::stringstream ss(configs);
	std::string c;
	while (std::getline(ss, c, ','))
		if (c == config)
			return true;
	return false;
}

double process_cpu_s(pid_t pid)
{
	double total = 0;
	std::error_code ec;
	// every thread's utime + stime (fields 14 and 15 of stat, after the "(comm)")
	std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
	std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
	auto close = s.rfind(')');
	if (close == std::string::npos)
		return 0;
	std::stringstream ss(s.substr(close + 2));
	std::string field;
	unsigned long long utime = 0, stime = 0;
	for (int i = 3; i <= 15 && ss >> field; i++) {
		if (i == 14)
			utime = std::stoull(field);
		if (i == 15)
			stime = std::stoull(field);
	}
	total = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
	return total;
}

double prog_run_s(uint32_t prog_id)
{
	if (prog_id == 0)
		return 0;
	int fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return 0;
	bpf_prog_info info{};
	uint32_t len = sizeof info;
	double s = 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		s = static_cast<double>(info.run_time_ns) * 1e-9;
	close(fd);
	return s;
}

uint32_t xdp_prog_id(const std::string &ns, const char *ifname)
{
	loader::NetnsScope in(ns);
	int ifindex = static_cast<int>(if_nametoindex(ifname));
	uint32_t id = 0;
	if (ifindex > 0 && bpf_xdp_query_id(ifindex, 0, &id) != 0)
		id = 0;
	return id;
}

ServerXdp::ServerXdp(const Testbed &tb, int prog_fd) : ns_(tb.server())
{
	loader::NetnsScope in(ns_);
	ifindex_ = static_cast<int>(if_nametoindex(Testbed::kIfname));
	int err = ifindex_ > 0 ? bpf_xdp_attach(ifindex_, prog_fd, XDP_FLAGS_DRV_MODE, nullptr)
			       : -ENODEV;
	if (err)
		throw Error("cannot attach an XDP program to the server's eth0: " +
			    std::string(std::strerror(-err)));
}

ServerXdp::~ServerXdp()
{
	try {
		loader::NetnsScope in(ns_);
		bpf_xdp_detach(ifindex_, XDP_FLAGS_DRV_MODE, nullptr);
	} catch (const std::exception &) {
	}
}

StatsEnabled::StatsEnabled() : fd_(bpf_enable_stats(BPF_STATS_RUN_TIME))
{
	if (fd_ < 0)
		throw Error("cannot enable eBPF run-time statistics (BPF_ENABLE_STATS): " +
			    std::string(std::strerror(errno)));
}

StatsEnabled::~StatsEnabled()
{
	if (fd_ >= 0)
		close(fd_);
}

} // namespace netext::bench::linerate
