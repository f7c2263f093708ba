// The memcached load generator against a real memcached in a testbed: it warms up over TCP,
// gets every answer, counts hits and misses right (a key space twice the warmed one under
// Zipf 0.99 hits ~92%), and writes its CSV row.
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <unistd.h>

#include "memcached.hpp"
#include "require_root.hpp"
#include "testbed.hpp"

using netext::testing::MemcachedServer;
using netext::testing::Testbed;

namespace {

std::vector<std::string> last_row(const std::string &csv)
{
	std::ifstream f(csv);
	std::string line, last;
	while (std::getline(f, line))
		last = line;
	std::vector<std::string> cols;
	std::stringstream ss(last);
	while (std::getline(ss, line, ','))
		cols.push_back(line);
	return cols;
}

} // namespace

TEST(McLoad, CountsAnswersHitsAndMissesAgainstRealMemcached)
{
	NETEXT_REQUIRE_ROOT();
	Testbed tb;
	MemcachedServer mc(tb);
	std::string csv = "/tmp/netext-mcload-" + std::to_string(getpid()) + ".csv";
	std::string load =
		std::string(NETEXT_MCLOAD) + " --server " + Testbed::kServerIp4 + " --csv " + csv;

	ASSERT_EQ(tb.run(tb.client(), load + " --warmup --keys 2000 --duration 1 --label warm"), 0);
	std::vector<std::string> row =
		last_row(csv); // label,sent,answered,lost,req_per_s,hit_ratio,...
	ASSERT_GE(row.size(), 8u);
	EXPECT_EQ(row[0], "warm");
	EXPECT_GT(std::stoull(row[2]), 1000u);
	EXPECT_EQ(row[3], "0");
	EXPECT_DOUBLE_EQ(std::stod(row[5]), 1.0);

	ASSERT_EQ(tb.run(tb.client(), load + " --keys 4000 --duration 1 --label half"), 0);
	row = last_row(csv);
	double hit = std::stod(row[5]);
	EXPECT_GT(hit, 0.85); // Zipf(0.99): the hottest half of 4000 ranks carries ~91% of requests
	EXPECT_LT(hit, 0.97);

	ASSERT_EQ(tb.run(tb.client(), load + " --keys 2000 --duration 1 --keys-per-get 10 --window "
					     "8 --label multi"),
		  0);
	row = last_row(csv);
	// Ten datagrams per answer: a burst may drop one in many thousands (UDP), which counts
	// as a miss for that key; anything more would be a counting error.
	EXPECT_GT(std::stod(row[5]), 0.999);
	EXPECT_GT(std::stoull(row[2]), 100u);
	std::remove(csv.c_str());
}
