#include "runner.hpp"

#include <netext/loader/error.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace netext::bench {

using netext::testing::Testbed;

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
	// The client's kernel leaves its TCP/UDP checksums to offload on veth (CHECKSUM_PARTIAL:
	// only the pseudo-header's sum is in the packet); the bump reads raw frames off the
	// wire and hands them to the TAP, whose kernel would drop them. A NIC's frames carry
	// the whole sum: so does the client's, with tx offload off while the bump runs.
	tb.run(tb.client(), "ethtool -K eth0 tx off >/dev/null 2>&1");
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
	tb_.run(tb_.client(), "ethtool -K eth0 tx on >/dev/null 2>&1");
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

} // namespace netext::bench
