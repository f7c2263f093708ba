#include "testbed.hpp"

#include <netext/loader/error.hpp>

#include <arpa/inet.h>
#include <array>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace netext::testing {

namespace {

constexpr const char *kPrefix = "nxtb"; // netext testbed: nxtb<pid><role>

// Namespaces alive in this process, for the signal handler. Fixed-size, no allocation.
constexpr int kMaxLive = 8;
char g_live[kMaxLive][32];
std::mutex g_live_mutex;

void remove_netns_async_safe(const char *name)
{
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		dup2(devnull, 2);
		const char *argv[] = {"ip", "netns", "del", name, nullptr};
		execvp("ip", const_cast<char **>(argv));
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, nullptr, 0);
}

void on_signal(int sig)
{
	for (auto &name : g_live)
		if (name[0] != '\0')
			remove_netns_async_safe(name);
	std::signal(sig, SIG_DFL);
	std::raise(sig);
}

void track(const std::string &name, bool add)
{
	std::lock_guard<std::mutex> lock(g_live_mutex);
	for (auto &slot : g_live) {
		if (add && slot[0] == '\0') {
			std::snprintf(slot, sizeof(slot), "%s", name.c_str());
			return;
		}
		if (!add && name == slot) {
			slot[0] = '\0';
			return;
		}
	}
}

// Removes namespaces left by testbeds whose process no longer exists: nxtb<pid><role>.
void remove_stale()
{
	std::string list;
	shell("ip netns list", &list);
	std::size_t pos = 0;
	const std::string prefix = kPrefix;
	while ((pos = list.find(prefix, pos)) != std::string::npos) {
		std::size_t end = list.find_first_of(" \n", pos);
		std::string name = list.substr(pos, end - pos);
		pos = end == std::string::npos ? list.size() : end;
		std::size_t digits = name.find_first_not_of("0123456789", prefix.size());
		if (digits == prefix.size() || digits == std::string::npos)
			continue;
		pid_t owner = static_cast<pid_t>(
			std::stol(name.substr(prefix.size(), digits - prefix.size())));
		if (kill(owner, 0) != 0 && errno == ESRCH)
			shell("ip netns del " + name);
	}
}

} // namespace

int shell(const std::string &command, std::string *out)
{
	FILE *p = popen((command + " 2>&1").c_str(), "r");
	if (!p)
		return -1;
	std::array<char, 4096> buf{};
	std::string text;
	std::size_t n;
	while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
		text.append(buf.data(), n);
	int status = pclose(p);
	if (out)
		*out = text;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

namespace {
// An unlinked temporary file, open for reading and writing.
int scratch_file()
{
	char name[] = "/tmp/netext-capture-XXXXXX";
	int fd = mkstemp(name);
	if (fd < 0)
		throw Error(std::string("testbed: mkstemp: ") + std::strerror(errno));
	unlink(name);
	return fd;
}

std::string read_all(int fd)
{
	std::string text;
	std::array<char, 4096> buf{};
	lseek(fd, 0, SEEK_SET);
	for (ssize_t n; (n = read(fd, buf.data(), buf.size())) > 0;)
		text.append(buf.data(), static_cast<std::size_t>(n));
	close(fd);
	return text;
}
} // namespace

Captured capture(const std::string &command)
{
	int out = scratch_file(), err = scratch_file();
	// /proc/self/fd, not /dev/fd: the qemu guest's /dev (devtmpfs) has no fd link.
	std::string cmd = "(" + command + ") >/proc/self/fd/" + std::to_string(out) +
			  " 2>/proc/self/fd/" + std::to_string(err);
	int status = std::system(cmd.c_str());
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return {code, read_all(out), read_all(err)};
}

Testbed::Testbed()
	: client_(kPrefix + std::to_string(getpid()) + "client"),
	  server_(kPrefix + std::to_string(getpid()) + "server")
{
	remove_stale();
	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);
	track(client_, true);
	track(server_, true);
	const std::string c = client_, s = server_;
	const std::vector<std::string> steps = {
		"ip netns add " + c,
		"ip netns add " + s,
		"ip -n " + c + " link add eth0 type veth peer name eth0 netns " + s,
		"ip -n " + c + " addr add " + kClientIp4 + "/24 dev eth0",
		"ip -n " + s + " addr add " + kServerIp4 + "/24 dev eth0",
		"ip -n " + c + " addr add " + kClientIp6 + "/64 dev eth0 nodad",
		"ip -n " + s + " addr add " + kServerIp6 + "/64 dev eth0 nodad",
		"ip -n " + c + " link set lo up",
		"ip -n " + s + " link set lo up",
		"ip -n " + c + " link set eth0 up",
		"ip -n " + s + " link set eth0 up",
	};
	auto run_steps = [this](const std::vector<std::string> &list) {
		for (const std::string &step : list) {
			std::string out;
			if (shell(step, &out) != 0) {
				teardown();
				throw Error("netext testbed: '" + step + "' failed: " + out +
					    "(needs root, iproute2 and veth support)");
			}
		}
	};
	run_steps(steps);
	std::string cmac, smac;
	shell("ip -n " + c + " -br link show eth0 | awk '{print $3}'", &cmac);
	shell("ip -n " + s + " -br link show eth0 | awk '{print $3}'", &smac);
	auto trim = [](const std::string &m) { return m.substr(0, m.find_first_of(" \n")); };
	cmac = trim(cmac);
	smac = trim(smac);
	run_steps({
		"ip -n " + c + " neigh replace " + kServerIp4 + " lladdr " + smac +
			" dev eth0 nud permanent",
		"ip -n " + c + " neigh replace " + kServerIp6 + " lladdr " + smac +
			" dev eth0 nud permanent",
		"ip -n " + s + " neigh replace " + kClientIp4 + " lladdr " + cmac +
			" dev eth0 nud permanent",
		"ip -n " + s + " neigh replace " + kClientIp6 + " lladdr " + cmac +
			" dev eth0 nud permanent",
	});
}

Testbed::~Testbed()
{
	teardown();
}

void Testbed::teardown() noexcept
{
	for (const std::string &ns : {client_, server_}) {
		shell("ip netns del " + ns); // removing one end removes the veth pair
		track(ns, false);
		// Pins a failed test left for this namespace (netext keys them by its name).
		shell("rm -rf /sys/fs/bpf/netext/netns:" + ns);
	}
	shell("rmdir /sys/fs/bpf/netext 2>/dev/null");
}

int Testbed::run(const std::string &ns, const std::string &command) const
{
	return shell("ip netns exec " + ns + " sh -c '" + command + "'");
}

std::string Testbed::output(const std::string &ns, const std::string &command) const
{
	std::string out;
	if (shell("ip netns exec " + ns + " sh -c '" + command + "'", &out) != 0)
		throw Error("netext testbed: '" + command + "' in " + ns + " failed: " + out);
	return out;
}

void Testbed::send_udp(const std::string &ip, uint16_t port, int count) const
{
	Enter in_client(client_);
	bool v6 = ip.find(':') != std::string::npos;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		throw Error("netext testbed: socket: " + std::string(std::strerror(errno)));
	sockaddr_storage ss{};
	socklen_t len;
	if (v6) {
		auto *a = reinterpret_cast<sockaddr_in6 *>(&ss);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, ip.c_str(), &a->sin6_addr);
		len = sizeof(*a);
	} else {
		auto *a = reinterpret_cast<sockaddr_in *>(&ss);
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, ip.c_str(), &a->sin_addr);
		len = sizeof(*a);
	}
	const char msg[] = "netext testbed datagram";
	for (int i = 0; i < count; i++)
		if (sendto(fd, msg, sizeof(msg), 0, reinterpret_cast<sockaddr *>(&ss), len) < 0) {
			int err = errno;
			close(fd);
			throw Error("netext testbed: sendto " + ip + ": " + std::strerror(err));
		}
	close(fd);
}

} // namespace netext::testing
