// The SDK's run-time safety (issue 19): checked subscripts, the tc pull as a verdict
// (the program runs again on a fresh context, at most once), knobs read through their
// accessor. The compile-time half is in noref_test.cpp and tests/compile_fail.
#define NETEXT_APP_NAME sdk_safety
#include <netext/tc.hpp>

#include <gtest/gtest.h>
#include <vector>

using namespace netext;

namespace {

int runs = 0;		       // program runs in the current test
std::vector<bool> pulled_seen; // ctx.pulled() in each run

NETEXT_CONFIG(uint32_t, limit, 40);

// Asks for a pull on its first run; Shot when it runs again after it.
NETEXT_TC(pull_once)
{
	runs++;
	pulled_seen.push_back(ctx.pulled());
	if (!ctx.pulled())
		return ctx.pull(64);
	return TcAction::Shot;
}

// Asks for a pull whatever happens: the second request ends the program with Ok.
NETEXT_TC(pull_always)
{
	runs++;
	pulled_seen.push_back(ctx.pulled());
	return ctx.pull(64);
}

NETEXT_TC(no_pull)
{
	runs++;
	return ctx.packet().size() > limit ? TcAction::Shot : TcAction::Reclassify;
}

host::RunResult run_tc(const char *name)
{
	runs = 0;
	pulled_seen.clear();
	const host::Program *p = host::find_program("sdk_safety", name);
	EXPECT_NE(p, nullptr);
	std::vector<uint8_t> pkt(60, 0);
	host::RunResult r;
	if (p) {
		EXPECT_TRUE(host::run(*p, pkt, r));
	}
	return r;
}

} // namespace

TEST(TcPull, RunsTheProgramAgainOnAFreshContext)
{
	host::RunResult r = run_tc("pull_once");
	EXPECT_EQ(r.verdict, static_cast<int32_t>(TcAction::Shot));
	EXPECT_EQ(runs, 2);
	EXPECT_EQ(pulled_seen, (std::vector<bool>{false, true}));
}

TEST(TcPull, AtMostOncePerPacket)
{
	host::RunResult r = run_tc("pull_always");
	EXPECT_EQ(r.verdict, static_cast<int32_t>(TcAction::Ok));
	EXPECT_EQ(runs, 2);
	EXPECT_EQ(pulled_seen, (std::vector<bool>{false, true}));
}

TEST(TcPull, NoPullRunsOnce)
{
	host::RunResult r = run_tc("no_pull");
	EXPECT_EQ(r.verdict, static_cast<int32_t>(TcAction::Shot));
	EXPECT_EQ(runs, 1);
}

TEST(TcPull, NoVerdictIsAPullRequest)
{
	for (TcAction a : {TcAction::Unspec, TcAction::Ok, TcAction::Reclassify, TcAction::Shot,
			   TcAction::Pipe, TcAction::Stolen, TcAction::Redirect})
		EXPECT_FALSE(detail::is_pull(static_cast<int32_t>(a)));
	EXPECT_TRUE(detail::is_pull(static_cast<int32_t>(detail::kPullTag)));
	EXPECT_EQ(detail::pull_len(static_cast<int32_t>(detail::kPullTag | 1500)), 1500u);
}

TEST(Knob, ReadThroughItsAccessor)
{
	EXPECT_EQ(limit.value(), 40u);
	EXPECT_EQ(run_tc("no_pull").verdict, static_cast<int32_t>(TcAction::Shot)); // 60 > 40
	ASSERT_TRUE(host::set_config("sdk_safety", "limit", 100));
	EXPECT_EQ(limit.value(), 100u);
	EXPECT_EQ(run_tc("no_pull").verdict, static_cast<int32_t>(TcAction::Reclassify));
	ASSERT_TRUE(host::set_config("sdk_safety", "limit", 40));
}

TEST(Array, SubscriptInRange)
{
	array<uint32_t, 5> a{};
	for (uint32_t i = 0; i < 5; i++)
		a[i] = i * 10;
	const array<uint32_t, 5> &c = a;
	EXPECT_EQ(c[4], 40u);
	EXPECT_EQ(a.get<2>(), 20u);
	Ref<uint32_t> r = a.at(3);
	ASSERT_TRUE(r);
	*r = 7;
	EXPECT_EQ(a[3], 7u);
	EXPECT_TRUE(c.at(4));
}

TEST(Array, AtIsEmptyOutOfRange)
{
	array<uint32_t, 5> a{};
	volatile std::size_t i = 5; // not a constant: the run-time check
	EXPECT_FALSE(a.at(i));
	EXPECT_FALSE(a.at(static_cast<std::size_t>(-1)));
	const array<uint32_t, 5> &c = a;
	EXPECT_FALSE(c.at(i));
}

// Out of range, a subscript traps (natively: the landing pad, a counted fault; here the
// process stops). Never a read or write of the memory past the array.
TEST(ArrayDeathTest, SubscriptOutOfRangeTraps)
{
	array<uint32_t, 5> a{};
	volatile std::size_t i = 5;
	EXPECT_DEATH(a[i] = 1, "");
	volatile std::size_t big = 1u << 20;
	EXPECT_DEATH(a[big] = 2, "");
}

TEST(Array, AtOutOfRangeGivesTheFallbackThroughValueOr)
{
	array<uint32_t, 5> a{};
	volatile std::size_t i = 9;
	Ref<uint32_t> r = a.at(i);
	EXPECT_FALSE(r);
	EXPECT_EQ(r.value_or(3), 3u);
}
