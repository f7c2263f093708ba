// netext-bmc-baseline [-n NETNS] IFACE --duration SECONDS [--entries N]
//
// Attaches the eBPF-C BMC baseline to IFACE (XDP + tc egress), prints its counters every
// second, and detaches at the end of the duration or on SIGINT/SIGTERM.
#include "baseline.hpp"

#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <net/if.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int)
{
	g_stop = 1;
}

int usage(const char *msg)
{
	if (msg)
		std::fprintf(stderr, "netext-bmc-baseline: %s\n", msg);
	std::fprintf(
		stderr,
		"usage: netext-bmc-baseline [-n NETNS] IFACE --duration SECONDS [--entries N]\n"
		"  attaches the eBPF-C BMC baseline (XDP + tc egress) to IFACE, prints its\n"
		"  counters every second, detaches after SECONDS or on SIGINT/SIGTERM\n");
	return static_cast<int>(netext::ExitCode::Usage);
}

bool parse_u32(const char *s, uint32_t &out)
{
	char *end = nullptr;
	errno = 0;
	unsigned long v = std::strtoul(s, &end, 10);
	if (errno || !end || *end || end == s || s[0] == '-' || v > 0xffffffffUL)
		return false;
	out = static_cast<uint32_t>(v);
	return true;
}

void print_stats(const netext::bench::BaselineBmc &bmc, const char *label, double t)
{
	std::printf("%st=%.0fs", label, t);
	for (const auto &[name, value] : bmc.stats())
		std::printf(" %s=%llu", name.c_str(), static_cast<unsigned long long>(value));
	std::printf("\n");
	std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
	std::string netns, iface;
	std::optional<uint32_t> duration;
	uint32_t entries = netext::bench::BaselineBmc::kDefaultEntries;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "-h" || a == "--help") {
			usage(nullptr);
			return 0;
		}
		if ((a == "-n" || a == "--duration" || a == "--entries") && i + 1 >= argc)
			return usage(("missing value after " + a).c_str());
		if (a == "-n") {
			netns = argv[++i];
		} else if (a == "--duration") {
			uint32_t d = 0;
			if (!parse_u32(argv[++i], d))
				return usage("--duration takes a whole number of seconds");
			duration = d;
		} else if (a == "--entries") {
			if (!parse_u32(argv[++i], entries) || entries == 0)
				return usage("--entries takes a positive number");
		} else if (!a.empty() && a[0] == '-') {
			return usage(("unknown option " + a).c_str());
		} else if (iface.empty()) {
			iface = a;
		} else {
			return usage(("unexpected argument " + a).c_str());
		}
	}
	if (iface.empty())
		return usage("no interface given");
	if (!duration)
		return usage("--duration is required");

	try {
		std::unique_ptr<netext::loader::NetnsScope> scope;
		if (!netns.empty())
			scope = std::make_unique<netext::loader::NetnsScope>(netns);
		unsigned ifindex = if_nametoindex(iface.c_str());
		if (ifindex == 0)
			throw netext::Error("netext-bmc-baseline: no interface '" + iface + "'" +
						    (netns.empty() ? "" : " in namespace " + netns),
					    netext::ExitCode::NotFound);

		netext::bench::BaselineBmc bmc(entries);
		struct sigaction sa {};
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, nullptr);
		sigaction(SIGTERM, &sa, nullptr);

		bmc.attach(static_cast<int>(ifindex));
		std::printf(
			"attached bmc baseline to %s (ifindex %u): xdp(%s) + tc egress, %u cache "
			"entries\n",
			iface.c_str(), ifindex, bmc.xdp_mode().c_str(), bmc.entries());
		std::fflush(stdout);
		auto start = std::chrono::steady_clock::now();
		auto next = start + std::chrono::seconds(1);
		auto end = start + std::chrono::seconds(*duration);
		while (!g_stop && std::chrono::steady_clock::now() < end) {
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
			auto now = std::chrono::steady_clock::now();
			if (now >= next) {
				print_stats(bmc, "",
					    std::chrono::duration<double>(now - start).count());
				next += std::chrono::seconds(1);
			}
		}
		print_stats(bmc, "end ",
			    std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
				    .count());
		bmc.detach();
		std::printf("detached\n");
		return 0;
	} catch (const netext::Error &e) {
		std::fprintf(stderr, "netext-bmc-baseline: %s\n", e.what());
		return static_cast<int>(e.code());
	}
}
