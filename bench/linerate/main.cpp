// netext-bench-linerate: memcached GETs (or LB flows) at line rate over a veth testbed, the
// load made in the kernel by LineGen (BPF_PROG_TEST_RUN, live frames), so the generator is
// never the limit. Each configuration runs in turn on the same testbed and memcached:
//
//   --app bmc   memcached alone; the eBPF-C baseline BMC (bench/baseline); netext's BMC
//               (eBPF); netext's BMC on DPDK (netext-dpdk-bump, when built)
//   --app lb    established-flow packets forwarded per second: netext's LB (eBPF) vs the
//               same LB source on DPDK
//   --app sink  the generator alone against a drop sink (its flat-out offered rate)
//
// One table, bench/results/linerate_<app>.csv and .png (bench/plot.sh). Everything is
// bounded in time; programs are detached, memcached stopped (by PID) and the namespaces
// removed on every exit path, SIGINT and SIGTERM included.
#include <netext/loader/error.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "args.hpp"
#include "bmc.hpp"
#include "linerate_common.hpp"

using namespace netext;

#ifndef NETEXT_PLOT
#define NETEXT_PLOT "bench/plot.sh"
#endif
#ifndef NETEXT_DPDK_BUMP
#define NETEXT_DPDK_BUMP ""
#endif

namespace {

[[noreturn]] void usage(const char *why)
{
	std::fprintf(
		stderr,
		"netext-bench-linerate: %s\n"
		"usage: netext-bench-linerate --app bmc|lb|sink [--short] [--duration S] [--rounds "
		"N]\n"
		"         [--keys-per-get 1,10,...] [--key-space N] [--zipf S] [--miss RATIO]\n"
		"         [--entries N] [--flows N] [--configs a,b] [--csv FILE] [--png "
		"FILE|none]\n"
		"         [--dpdk PATH|none] [--dpdk-pmd af_xdp|af_packet]\n"
		"  BMC: memcached alone, eBPF-C baseline BMC, netext BMC (eBPF), netext BMC on "
		"DPDK;\n"
		"  LB: netext LB (eBPF) vs on DPDK, --flows established UDP flows (default\n"
		"  4096) to one VIP of 4 backends; sink: the generator's own flat-out rate.\n"
		"  Configurations (--configs): generator, memcached, baseline-bmc, netext-bmc,\n"
		"  dpdk-bmc; generator, netext-lb, dpdk-lb.\n"
		"  Load: UDP GETs of K keys (uniform, or --zipf S) over N stored keys, --miss of\n"
		"  the keys never stored (default 0.05: 95%% hits), made in the kernel at line "
		"rate.\n"
		"  --rounds N (default 3): each configuration N times in rotated order, median\n"
		"  reported with min..max; --short: 1 round of 1 s, 1 and 10 keys (the demo).\n"
		"  Needs root, memcached, gnuplot (PNG).\n",
		why);
	std::exit(2);
}

std::vector<uint32_t> parse_list(const std::string &s)
{
	std::vector<uint32_t> v;
	std::stringstream ss(s);
	std::string x;
	while (std::getline(ss, x, ','))
		v.push_back(static_cast<uint32_t>(std::stoul(x)));
	return v;
}

// The command line, straight into the runs' settings (one set of defaults: Settings').
bench::linerate::Settings parse(int argc, char **argv)
{
	bench::linerate::Settings o;
	o.plot = NETEXT_PLOT;
	o.dpdk = NETEXT_DPDK_BUMP;
	bench::parse_args(argc, argv, usage, [&](const std::string &a, auto next) {
		if (a == "--app")
			o.app = next();
		else if (a == "--short") {
			o.duration = 1;
			o.warm = 0.5;
			o.rounds = 1;
		} else if (a == "--duration")
			o.duration = std::stod(next());
		else if (a == "--rounds")
			o.rounds = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--keys-per-get")
			o.keys_per_get = parse_list(next());
		else if (a == "--key-space")
			o.key_space = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--zipf")
			o.zipf = std::stod(next());
		else if (a == "--miss")
			o.miss = std::stod(next());
		else if (a == "--entries")
			o.entries = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--flows")
			o.flows = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--configs")
			o.configs = next();
		else if (a == "--csv")
			o.csv = next();
		else if (a == "--png")
			o.png = next();
		else if (a == "--dpdk")
			o.dpdk = next();
		else if (a == "--dpdk-pmd")
			o.dpdk_pmd = next();
		else if (a == "-h" || a == "--help")
			usage("help");
		else
			return false;
		return true;
	});
	if (o.dpdk_pmd != "af_xdp" && o.dpdk_pmd != "af_packet")
		usage("--dpdk-pmd must be af_xdp or af_packet");
	if (o.app != "bmc" && o.app != "lb" && o.app != "sink")
		usage("--app must be bmc, lb or sink");
	if (o.rounds < 1 || o.rounds > 20 || !(o.duration > 0 && o.duration <= 120))
		usage("--rounds must be 1..20, --duration 0..120 s");
	for (uint32_t k : o.keys_per_get)
		if (k < 1 || k > 32)
			usage("--keys-per-get: each 1..32");
	if (o.keys_per_get.empty())
		usage("--keys-per-get: at least one");
	if (o.entries == 0 || o.entries > bmc::kMaxEntries)
		usage("--entries must be 1..1048576");
	if (o.csv.empty())
		o.csv = "bench/results/linerate_" + o.app + ".csv";
	if (o.png.empty())
		o.png = "bench/results/linerate_" + o.app + ".png";
	if (o.dpdk == "none")
		o.dpdk.clear();
	return o;
}

} // namespace

int main(int argc, char **argv)
{
	bench::linerate::Settings s = parse(argc, argv);
	try {
		if (s.app == "lb")
			return bench::linerate::run_lb(s);
		return bench::linerate::run_bmc(s, s.app == "sink");
	} catch (const std::exception &e) {
		std::fprintf(stderr, "netext-bench-linerate: %s\n", e.what());
		const auto *ne = dynamic_cast<const Error *>(&e);
		return ne ? static_cast<int>(ne->code()) : 1;
	}
}
