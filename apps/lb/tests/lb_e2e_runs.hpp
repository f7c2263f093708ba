// The namespaces of one run of an LB end-to-end test (lb_e2e_test.cpp, lb_fleet_e2e_test.cpp)
// are named <prefix><pid>-<role>, and so are their bpffs pins (netns:<name>): a run that was
// killed leaves them behind, and the next run removes them.
#pragma once

#include <cerrno>
#include <csignal>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "testbed.hpp"

namespace netext::testing::lb_e2e {

// Calls remove_run("<prefix><pid>-") for every run whose namespaces or pins are left and
// whose process is gone.
inline void remove_stale_runs(std::string_view prefix,
			      const std::function<void(const std::string &)> &remove_run)
{
	std::string names;
	shell("ip netns list; ls /sys/fs/bpf/netext 2>/dev/null | sed 's/^netns://'", &names);
	std::set<std::string> dead;
	std::istringstream words(names);
	for (std::string w; words >> w;) {
		const std::size_t digits = prefix.size(), dash = w.find('-');
		if (!w.starts_with(prefix) || dash == std::string::npos || dash == digits ||
		    w.find_first_not_of("0123456789", digits) != dash)
			continue;
		pid_t owner = static_cast<pid_t>(std::stol(w.substr(digits, dash - digits)));
		if (kill(owner, 0) != 0 && errno == ESRCH)
			dead.insert(w.substr(0, dash + 1));
	}
	for (const std::string &run : dead)
		remove_run(run);
}

} // namespace netext::testing::lb_e2e
