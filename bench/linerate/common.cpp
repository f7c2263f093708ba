#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
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

DpdkBump::DpdkBump(const Testbed &tb, const std::string &path, const std::string &app,
		   const std::vector<std::string> &extra_args)
	: tb_(tb), log_path_("/tmp/netext-dpdk-bump-" + std::to_string(getpid()) + ".log"),
	  stats_path_("/tmp/netext-dpdk-bump-" + std::to_string(getpid()) + ".stats")
{
	if (access(path.c_str(), X_OK) != 0)
		throw Error("no DPDK runner at '" + path +
				    "' (build netext-dpdk-bump: needs "
				    "libdpdk-dev, scripts/install-deps.sh)",
			    ExitCode::NotFound);
	std::vector<std::string> args = {"ip",	  "netns",   "exec",	 tb.server(), path,
					 "--app", app,	     "--wire",	 "eth0",      "--tap",
					 "dtap0", "--stats", stats_path_};
	args.insert(args.end(), extra_args.begin(), extra_args.end());
	std::remove(log_path_.c_str());
	pid_ = fork();
	if (pid_ < 0)
		throw Error("fork: " + std::string(std::strerror(errno)));
	if (pid_ == 0) {
		std::vector<char *> argv;
		for (std::string &a : args)
			argv.push_back(a.data());
		argv.push_back(nullptr);
		FILE *f = std::fopen(log_path_.c_str(), "w");
		if (f) {
			dup2(fileno(f), 1);
			dup2(fileno(f), 2);
		}
		execvp("ip", argv.data());
		_exit(127);
	}
	// ready when it says so (bounded: 30 s)
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
	while (true) {
		std::string l = log();
		auto at = l.find("memory: ");
		if (at != std::string::npos)
			memory_ = l.substr(at + 8, l.find('\n', at) - at - 8);
		if (l.find("ready\n") != std::string::npos)
			break;
		int status = 0;
		if (waitpid(pid_, &status, WNOHANG) == pid_) {
			pid_ = -1;
			throw Error("netext-dpdk-bump exited before it was ready:\n" + l);
		}
		if (std::chrono::steady_clock::now() > deadline) {
			stop();
			throw Error("netext-dpdk-bump not ready after 30 s:\n" + l);
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	// memcached's address moves to the TAP (which has eth0's MAC): the kernel now sees the
	// wire only through the bump
	const std::string s = tb.server();
	for (const std::string &step :
	     {std::string("ip addr flush dev eth0"),
	      std::string("ip addr add ") + Testbed::kServerIp4 + "/24 dev dtap0",
	      std::string("ip addr add ") + Testbed::kServerIp6 + "/64 dev dtap0 nodad",
	      std::string("ip link set dtap0 up")}) {
		if (tb.run(s, step) != 0) {
			stop();
			throw Error("DPDK bump: '" + step + "' failed in " + s);
		}
	}
}

std::string DpdkBump::log() const
{
	std::ifstream f(log_path_);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

double DpdkBump::counter(const std::string &name) const
{
	std::ifstream f(stats_path_);
	std::string n;
	double v = 0;
	while (f >> n >> v)
		if (n == name)
			return v;
	return 0;
}

void DpdkBump::stop() noexcept
{
	if (pid_ > 0) {
		kill(pid_, SIGTERM);
		int status = 0;
		for (int i = 0; i < 200; i++) {
			if (waitpid(pid_, &status, WNOHANG) == pid_) {
				pid_ = -1;
				break;
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(25));
		}
		if (pid_ > 0) {
			kill(pid_, SIGKILL);
			waitpid(pid_, &status, 0);
			pid_ = -1;
		}
	}
	const std::string s = tb_.server();
	tb_.run(s, std::string("ip addr add ") + Testbed::kServerIp4 + "/24 dev eth0 2>/dev/null");
	tb_.run(s, std::string("ip addr add ") + Testbed::kServerIp6 +
			   "/64 dev eth0 nodad 2>/dev/null");
}

DpdkBump::~DpdkBump()
{
	stop();
	std::remove(log_path_.c_str());
	std::remove(stats_path_.c_str());
}

} // namespace netext::bench::linerate
