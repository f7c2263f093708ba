#include <netext/lb/maglev.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <stdexcept>

using netext::lb::is_prime;
using netext::lb::maglev_table;
using netext::lb::MaglevBackend;

namespace {

constexpr uint32_t kSize = 65537;
constexpr uint32_t kFlows = 100000;

std::string address(uint32_t i)
{
	return "198.18." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
}

// Backends 1..n named by address; weights default to 1.
std::vector<MaglevBackend> make_backends(uint32_t n, const std::vector<uint32_t> &weights = {})
{
	std::vector<MaglevBackend> backends;
	for (uint32_t i = 0; i < n; i++)
		backends.push_back({i + 1, address(i), weights.empty() ? 1 : weights[i]});
	return backends;
}

uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

// The backend id each synthetic flow lands on.
std::vector<uint32_t> route(const std::vector<uint32_t> &table)
{
	std::vector<uint32_t> to(kFlows);
	for (uint32_t f = 0; f < kFlows; f++)
		to[f] = table[mix(f) % table.size()];
	return to;
}

std::map<uint32_t, uint32_t> counts(const std::vector<uint32_t> &table)
{
	std::map<uint32_t, uint32_t> n;
	for (uint32_t id : table)
		n[id]++;
	return n;
}

// Every backend's share is within 1% (relative) of its weight's share, and its entry count
// within one of the exact quota.
void expect_shares(const std::vector<uint32_t> &table, const std::vector<MaglevBackend> &backends)
{
	double total = 0;
	for (const MaglevBackend &b : backends)
		total += b.weight;
	std::map<uint32_t, uint32_t> n = counts(table);
	EXPECT_EQ(n.size(), backends.size());
	EXPECT_EQ(n.count(0), 0u);
	for (const MaglevBackend &b : backends) {
		double fair = b.weight / total;
		double share = static_cast<double>(n[b.id]) / static_cast<double>(table.size());
		EXPECT_LE(std::abs(share - fair), 0.01 * fair) << b.name;
		double quota = fair * static_cast<double>(table.size());
		EXPECT_LT(std::abs(n[b.id] - quota), 1.0) << b.name;
	}
}

double moved_fraction(const std::vector<uint32_t> &before, const std::vector<uint32_t> &after)
{
	uint32_t moved = 0;
	for (uint32_t f = 0; f < before.size(); f++)
		moved += before[f] != after[f];
	return static_cast<double>(moved) / static_cast<double>(before.size());
}

} // namespace

TEST(Maglev, IsPrime)
{
	for (uint32_t n : {2u, 3u, 5u, 251u, 65537u, 4294967291u})
		EXPECT_TRUE(is_prime(n)) << n;
	for (uint32_t n : {0u, 1u, 4u, 9u, 65535u, 65536u, 4294967295u})
		EXPECT_FALSE(is_prime(n)) << n;
}

TEST(Maglev, EqualWeightsShareFairly)
{
	for (uint32_t n : {2u, 3u, 7u, 10u, 64u}) {
		SCOPED_TRACE(n);
		std::vector<MaglevBackend> backends = make_backends(n);
		expect_shares(maglev_table(backends, kSize), backends);
	}
}

TEST(Maglev, SharesFollowWeights)
{
	for (const std::vector<uint32_t> &weights :
	     {std::vector<uint32_t>{1, 2, 3, 4}, std::vector<uint32_t>{1, 10}}) {
		SCOPED_TRACE(weights.size());
		std::vector<MaglevBackend> backends =
			make_backends(static_cast<uint32_t>(weights.size()), weights);
		expect_shares(maglev_table(backends, kSize), backends);
	}
}

TEST(Maglev, RemovingBackendMovesOnlyItsFlows)
{
	std::vector<MaglevBackend> backends = make_backends(10);
	std::vector<uint32_t> before = maglev_table(backends, kSize);
	MaglevBackend removed = backends[3];
	backends.erase(backends.begin() + 3);
	std::vector<uint32_t> after = maglev_table(backends, kSize, before);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	uint32_t others_moved = 0;
	uint32_t removed_stayed = 0;
	for (uint32_t f = 0; f < kFlows; f++) {
		others_moved += from[f] != removed.id && to[f] != from[f];
		removed_stayed += from[f] == removed.id && to[f] == from[f];
	}
	EXPECT_EQ(others_moved, 0u);
	EXPECT_EQ(removed_stayed, 0u);
}

TEST(Maglev, AddingBackendMovesAboutOneNth)
{
	const uint32_t n = 10;
	std::vector<MaglevBackend> backends = make_backends(n + 1);
	MaglevBackend added = backends.back();
	backends.pop_back();
	std::vector<uint32_t> before = maglev_table(backends, kSize);
	backends.push_back(added);
	std::vector<uint32_t> after = maglev_table(backends, kSize, before);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	uint32_t moved_elsewhere = 0;
	for (uint32_t f = 0; f < kFlows; f++)
		moved_elsewhere += to[f] != from[f] && to[f] != added.id;
	EXPECT_EQ(moved_elsewhere, 0u);
	EXPECT_LE(moved_fraction(from, to), 1.0 / (n + 1) + 0.01);

	// The surplus released is what a from-scratch build gives the new backend, so most of
	// the new backend's entries are the ones Maglev would give it.
	std::vector<uint32_t> scratch = maglev_table(backends, kSize);
	uint32_t agree = 0;
	uint32_t total = 0;
	for (uint32_t e = 0; e < kSize; e++) {
		if (after[e] == added.id) {
			total++;
			agree += scratch[e] == added.id;
		}
	}
	EXPECT_GE(agree, total * 9 / 10);
}

TEST(Maglev, WeightChangeMovesAboutTheShareChange)
{
	std::vector<MaglevBackend> backends = make_backends(4);
	std::vector<uint32_t> before = maglev_table(backends, kSize);
	backends[2].weight = 2;
	std::vector<uint32_t> after = maglev_table(backends, kSize, before);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	double share_change = 2.0 / 5 - 1.0 / 4;
	EXPECT_LE(moved_fraction(from, to), share_change + 0.01);
	// Back to weight 1: the same again.
	backends[2].weight = 1;
	std::vector<uint32_t> back = maglev_table(backends, kSize, after);
	expect_shares(back, backends);
	EXPECT_LE(moved_fraction(to, route(back)), share_change + 0.01);
}

TEST(Maglev, SameBackendsKeepTheTable)
{
	std::vector<MaglevBackend> backends = make_backends(7, {1, 1, 2, 3, 1, 5, 1});
	std::vector<uint32_t> table = maglev_table(backends, kSize);
	EXPECT_EQ(maglev_table(backends, kSize, table), table);
	// A previous table of another size is ignored.
	std::vector<uint32_t> other = maglev_table(backends, 251);
	EXPECT_EQ(maglev_table(backends, kSize, other), table);
	// Entries of unknown or no backend are refilled.
	std::vector<uint32_t> holes = table;
	for (uint32_t e = 0; e < kSize; e += 3)
		holes[e] = e % 2 ? 0 : 999;
	std::vector<uint32_t> refilled = maglev_table(backends, kSize, holes);
	expect_shares(refilled, backends);
	for (uint32_t e = 0; e < kSize; e++) {
		if (e % 3) {
			EXPECT_EQ(refilled[e], table[e]) << e;
		}
	}
}

TEST(Maglev, InputOrderDoesNotMatter)
{
	std::vector<MaglevBackend> backends = make_backends(10, {1, 2, 3, 4, 5, 1, 2, 3, 4, 5});
	std::vector<uint32_t> table = maglev_table(backends, kSize);
	std::reverse(backends.begin(), backends.end());
	EXPECT_EQ(maglev_table(backends, kSize), table);
	std::rotate(backends.begin(), backends.begin() + 4, backends.end());
	EXPECT_EQ(maglev_table(backends, kSize), table);
}

TEST(Maglev, EmptyBackendsGiveZeros)
{
	std::vector<uint32_t> table = maglev_table({}, kSize);
	ASSERT_EQ(table.size(), kSize);
	EXPECT_TRUE(std::all_of(table.begin(), table.end(), [](uint32_t id) { return id == 0; }));
}

TEST(Maglev, SmallTables)
{
	// As many backends as entries: one entry each.
	for (uint32_t size : {2u, 3u, 13u}) {
		std::vector<MaglevBackend> backends = make_backends(size);
		std::vector<uint32_t> table = maglev_table(backends, size);
		std::vector<uint32_t> sorted = table;
		std::sort(sorted.begin(), sorted.end());
		std::vector<uint32_t> ids(size);
		std::iota(ids.begin(), ids.end(), 1u);
		EXPECT_EQ(sorted, ids) << size;
	}
}

TEST(Maglev, RejectsBadInput)
{
	std::vector<MaglevBackend> backends = make_backends(3);
	EXPECT_THROW(maglev_table(backends, 65536), std::invalid_argument);
	EXPECT_THROW(maglev_table({}, 1), std::invalid_argument);
	EXPECT_THROW(maglev_table(make_backends(4), 3), std::invalid_argument);

	std::vector<MaglevBackend> bad = backends;
	bad[1].id = 0;
	EXPECT_THROW(maglev_table(bad, kSize), std::invalid_argument);
	bad = backends;
	bad[2].id = bad[0].id;
	EXPECT_THROW(maglev_table(bad, kSize), std::invalid_argument);
	bad = backends;
	bad[0].weight = 0;
	EXPECT_THROW(maglev_table(bad, kSize), std::invalid_argument);
}

TEST(MaglevTiming, Build65537x100)
{
	std::vector<MaglevBackend> backends = make_backends(100);
	auto start = std::chrono::steady_clock::now();
	std::vector<uint32_t> table = maglev_table(backends, kSize);
	auto built = std::chrono::steady_clock::now();
	backends.pop_back();
	std::vector<uint32_t> after = maglev_table(backends, kSize, table);
	auto rebuilt = std::chrono::steady_clock::now();
	backends = make_backends(100);
	maglev_table(backends, kSize, after);
	auto grown = std::chrono::steady_clock::now();
	auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
	std::printf("maglev 65537 x 100: from scratch %.2f ms, remove one %.2f ms, "
		    "add one %.2f ms\n",
		    ms(built - start), ms(rebuilt - built), ms(grown - rebuilt));
}
