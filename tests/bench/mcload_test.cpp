// The memcached load generator against a real memcached in a testbed: it warms up over TCP,
// gets every answer, counts hits and misses right (a key space twice the warmed one under
// Zipf 0.99 hits ~92%), and writes its CSV row.
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <unistd.h>

#include "testbed.hpp"

using netext::testing::shell;
using netext::testing::Testbed;

namespace {

class Memcached {
public:
	explicit Memcached(const Testbed &tb)
		: pidfile_("/tmp/netext-mc-" + std::to_string(getpid()) + ".pid")
	{
		std::string out;
		int rc = shell("ip netns exec " + tb.server() + " memcached -d -P " + pidfile_ +
				       " -u nobody -U 11211 -p 11211 -l " + Testbed::kServerIp4 +
				       " -t 1 -m 64",
			       &out);
		if (rc != 0)
			throw std::runtime_error("memcached did not start: " + out);
		for (int i = 0; i < 50 && !std::ifstream(pidfile_).good(); i++)
			usleep(20000);
	}
	~Memcached()
	{
		std::ifstream f(pidfile_);
		long pid = 0;
		if (f >> pid && pid > 0) {
			kill(static_cast<pid_t>(pid), SIGTERM); // only the one we started
			for (int i = 0; i < 100 && kill(static_cast<pid_t>(pid), 0) == 0; i++)
				usleep(20000); // until it has gone
		}
		std::remove(pidfile_.c_str());
	}
	Memcached(const Memcached &) = delete;
	Memcached &operator=(const Memcached &) = delete;

private:
	std::string pidfile_;
};

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
	if (geteuid() != 0)
		GTEST_FAIL() << "needs root (network namespaces): run the README's test command";
	Testbed tb;
	Memcached mc(tb);
	usleep(200000);
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
