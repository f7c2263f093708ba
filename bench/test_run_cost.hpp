// Timing programs through BPF_PROG_TEST_RUN, shared by the per-request / per-packet cost
// benchmarks (netext-bench-bmc-cost, netext-bench-lb-cost). See FIELD-NOTES "Measuring and
// baselines": programs that rewrite their packet (or consume state) are timed with
// repeat = 1, many calls, taking the kernel-reported duration of each call; those that
// change nothing also with a large repeat count.
#pragma once

#include <netext/loader/object.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sched.h>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "packet_builder.hpp"

namespace netext::bench {

using testing::Bytes;

constexpr uint32_t kRepeat = 100000;
constexpr int kRepeatRuns = 7;

// The options every cost benchmark takes: --out DIR --runs N --calls N --cpu N.
struct CostOptions {
	std::string out_dir = "bench/results";
	int runs = 5;
	int calls = 20000;
	int cpu = -1; // pin to this CPU (default: the last one)

	// Takes option a if it is one of these (next() gives its value; see parse_args).
	template <class Next>
	bool take(const std::string &a, Next next)
	{
		if (a == "--out")
			out_dir = next();
		else if (a == "--runs")
			runs = std::stoi(next());
		else if (a == "--calls")
			calls = std::stoi(next());
		else if (a == "--cpu")
			cpu = std::stoi(next());
		else
			return false;
		return true;
	}
	// usage(...) unless the counts are in range.
	template <class Usage>
	void check(Usage usage) const
	{
		if (runs < 1 || runs > 100 || calls < 1 || calls > 10'000'000)
			usage("--runs must be 1..100 and --calls 1..10000000");
	}
};

struct Figure {
	double median = 0, p10 = 0, p90 = 0;
	int runs = 0;
	long calls = 0; // per run
	std::string method;
};

inline double pct(std::vector<uint32_t> &v, double q)
{
	if (v.empty())
		return 0;
	std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()));
	std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
	return v[i];
}

// What one figure times: `before` runs (unmeasured) ahead of each call and returns the
// packet to run the program on.
struct Subject {
	int fd;
	std::function<const Bytes &(long)> before;
};

// repeat = 1, calls calls per run and subject: the kernel-reported duration of every call.
// The subjects of one case (netext, baseline, the empty program) take turns in blocks of
// kBlock calls, so that whatever else the machine does falls on all of them alike while
// each block still runs with its own program's caches warm.
constexpr int kBlock = 500;
constexpr int kWarmCalls = 1000;

inline std::vector<Figure> per_call(int runs, int calls, const std::vector<Subject> &subjects)
{
	std::size_t k = subjects.size();
	std::vector<std::vector<uint32_t>> all(k);
	std::vector<long> n(k, 0);
	for (std::size_t s = 0; s < k; s++) {
		all[s].reserve(static_cast<std::size_t>(runs) * static_cast<std::size_t>(calls));
		for (int w = 0; w < kWarmCalls; w++) // warm caches and branch predictors
			(void)loader::test_run(subjects[s].fd, subjects[s].before(n[s]++));
	}
	for (int r = 0; r < runs; r++)
		for (int c0 = 0; c0 < calls; c0 += kBlock)
			for (std::size_t s = 0; s < k; s++)
				for (int c = c0; c < std::min(calls, c0 + kBlock); c++)
					all[s].push_back(
						loader::test_run(subjects[s].fd,
								 subjects[s].before(n[s]++))
							.duration_ns);
	std::vector<Figure> out(k);
	for (std::size_t s = 0; s < k; s++) {
		Figure &f = out[s];
		f.p10 = pct(all[s], 0.10);
		f.p90 = pct(all[s], 0.90);
		f.median = pct(all[s], 0.50);
		f.runs = runs;
		f.calls = calls;
		f.method = "repeat=1 per-call median";
	}
	return out;
}

// repeat = 100000 on one buffer: the kernel's average per repetition, median over 7 runs,
// the subjects taking turns run by run.
inline std::vector<Figure> repeated(const std::vector<std::pair<int, const Bytes *>> &subjects)
{
	std::size_t k = subjects.size();
	std::vector<std::vector<uint32_t>> v(k);
	for (const auto &[fd, pkt] : subjects)
		(void)loader::test_run(fd, *pkt, 1000);
	for (int r = 0; r < kRepeatRuns; r++)
		for (std::size_t s = 0; s < k; s++)
			v[s].push_back(
				loader::test_run(subjects[s].first, *subjects[s].second, kRepeat)
					.duration_ns);
	std::vector<Figure> out(k);
	for (std::size_t s = 0; s < k; s++) {
		Figure &f = out[s];
		f.p10 = *std::min_element(v[s].begin(), v[s].end());
		f.p90 = *std::max_element(v[s].begin(), v[s].end());
		f.median = pct(v[s], 0.5);
		f.runs = kRepeatRuns;
		f.calls = kRepeat;
		f.method = "repeat=100000 (min/median/max of 7 runs)";
	}
	return out;
}

// Pins the process to one CPU (default: the last one).
inline void pin(int cpu)
{
	unsigned ncpu = std::max(1u, std::thread::hardware_concurrency());
	if (cpu < 0)
		cpu = static_cast<int>(ncpu) - 1;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		std::fprintf(stderr, "note: could not pin to CPU %d\n", cpu);
	else
		std::printf("pinned to CPU %d of %u\n", cpu, ncpu);
}

inline std::string fmt(double v)
{
	char b[32];
	std::snprintf(b, sizeof b, "%.0f", v);
	return b;
}

} // namespace netext::bench
