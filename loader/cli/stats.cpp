// `netext stats`: an app's counters, summed over CPUs, once or every few seconds.
#include "cli.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>
#include <thread>
#include <unistd.h>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

volatile std::sig_atomic_t g_stop = 0;

int cmd_stats(const CommandLine &args)
{
	Attachment a = find_attachment(args.args[0], args.args[1]);
	AppDescriptor d = descriptor_of(a);
	if (d.stats.map.empty())
		throw Error("app '" + a.app + "' declares no stats (try 'netext map " + a.ifname +
				    " " + a.app + " dump MAP')",
			    ExitCode::NotFound);
	int fd = open_pinned_map(a, d.stats.map);
	double watch = args.options.seconds("watch").value_or(0);
	long count = static_cast<long>(args.options.count("count").value_or(0));
	std::signal(SIGINT, [](int) { g_stop = 1; });
	std::signal(SIGTERM, [](int) { g_stop = 1; });
	std::vector<std::vector<uint64_t>> previous;
	for (long round = 0; !g_stop; round++) {
		std::vector<std::vector<uint64_t>> rows;
		for (uint32_t slot = 0; slot < d.stats.slots.size(); slot++)
			rows.push_back(map_u64_sums(fd, slot, d.stats.counters.size()));
		if (args.options.flag("json")) {
			json out = {{"ifname", a.ifname},
				    {"app", a.app},
				    {"time", std::time(nullptr)},
				    {"stats", json::array()}};
			for (std::size_t i = 0; i < rows.size(); i++) {
				json row = {{"slot", d.stats.slots[i]}};
				for (std::size_t k = 0; k < rows[i].size(); k++)
					row[d.stats.counters[k]] = rows[i][k];
				out["stats"].push_back(row);
			}
			std::printf("%s\n", watch > 0 ? out.dump().c_str() : out.dump(2).c_str());
		} else {
			std::printf("%s on %s%s\n", a.app.c_str(), a.ifname.c_str(),
				    watch > 0 ? (" at " + time_text(std::time(nullptr))).c_str()
					      : "");
			std::printf("  %-28s", "");
			for (const std::string &c : d.stats.counters)
				std::printf(" %14s", c.c_str());
			if (watch > 0 && !previous.empty())
				for (const std::string &c : d.stats.counters)
					std::printf(" %14s", (c + "/s").c_str());
			std::printf("\n");
			for (std::size_t i = 0; i < rows.size(); i++) {
				bool zero = std::all_of(rows[i].begin(), rows[i].end(),
							[](uint64_t v) { return v == 0; });
				if (zero && !args.options.flag("all"))
					continue;
				std::printf("  %-28s", d.stats.slots[i].c_str());
				for (uint64_t v : rows[i])
					std::printf(" %14lu", v);
				if (watch > 0 && !previous.empty())
					for (std::size_t k = 0; k < rows[i].size(); k++)
						std::printf(" %14.1f",
							    static_cast<double>(rows[i][k] -
										previous[i][k]) /
								    watch);
				std::printf("\n");
			}
		}
		std::fflush(stdout);
		previous = rows;
		if (watch <= 0 || (count > 0 && round + 1 >= static_cast<long>(count)))
			break;
		for (double slept = 0; slept < watch && !g_stop; slept += 0.1)
			std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	close(fd);
	return 0;
}

} // namespace

Command stats_command()
{
	return {"stats",
		"IFACE APP [--json] [--watch SECONDS [--count N]] [--all]",
		"show an app's counters, summed over CPUs",
		"With --watch, prints every SECONDS (with per-second rates) until interrupted or "
		"N times.",
		{json_option(),
		 {"watch", 'w', "SECONDS", Option::Type::Seconds, "print again every SECONDS"},
		 {"count", 'c', "N", Option::Type::Count, "with --watch, stop after N prints"},
		 {"all", 'a', nullptr, Option::Type::Flag, "also show counters that are zero"}},
		2,
		2,
		cmd_stats};
}

} // namespace netext::cli
