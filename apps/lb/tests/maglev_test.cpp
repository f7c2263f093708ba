#include <netext/lb/balancer.hpp>
#include <netext/lb/maglev.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "memory_lb_maps.hpp"

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

// Maglev's disruption is near-minimal, not minimal: removing a backend moves all of its flows
// and a fraction of a percent of the others' (the price of a table that depends on the
// configuration only; see maglev_table).
TEST(Maglev, RemovingBackendMovesItsFlowsAndFewOthers)
{
	std::vector<MaglevBackend> backends = make_backends(10);
	std::vector<uint32_t> before = maglev_table(backends, kSize);
	MaglevBackend removed = backends[3];
	backends.erase(backends.begin() + 3);
	std::vector<uint32_t> after = maglev_table(backends, kSize);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	uint32_t others_moved = 0;
	uint32_t removed_stayed = 0;
	uint32_t others = 0;
	for (uint32_t f = 0; f < kFlows; f++) {
		others += from[f] != removed.id;
		others_moved += from[f] != removed.id && to[f] != from[f];
		removed_stayed += from[f] == removed.id && to[f] == from[f];
	}
	EXPECT_LE(others_moved, others / 100);
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
	std::vector<uint32_t> after = maglev_table(backends, kSize);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	uint32_t moved_elsewhere = 0;
	for (uint32_t f = 0; f < kFlows; f++)
		moved_elsewhere += to[f] != from[f] && to[f] != added.id;
	EXPECT_LE(moved_elsewhere, kFlows / 100);
	EXPECT_LE(moved_fraction(from, to), 1.0 / (n + 1) + 0.01);
}

TEST(Maglev, WeightChangeMovesAboutTheShareChange)
{
	std::vector<MaglevBackend> backends = make_backends(4);
	std::vector<uint32_t> before = maglev_table(backends, kSize);
	backends[2].weight = 2;
	std::vector<uint32_t> after = maglev_table(backends, kSize);
	expect_shares(after, backends);

	std::vector<uint32_t> from = route(before);
	std::vector<uint32_t> to = route(after);
	double share_change = 2.0 / 5 - 1.0 / 4;
	EXPECT_LE(moved_fraction(from, to), share_change + 0.02);
	// Back to weight 1: exactly the first table again.
	backends[2].weight = 1;
	EXPECT_EQ(maglev_table(backends, kSize), before);
}

// Two balancers of a fleet: the same backends, given in random orders with random ids (a
// balancer numbers backends by the slot it stored them in), send every table entry to the same
// backend name.
TEST(Maglev, RandomOrdersAndIdsAgreeByName)
{
	std::mt19937 rng(20261203);
	for (uint32_t round = 0; round < 50; round++) {
		uint32_t n = 1 + rng() % 40;
		std::vector<MaglevBackend> a;
		for (uint32_t i = 0; i < n; i++)
			a.push_back({i + 1, address(static_cast<uint32_t>(rng() % 5000)),
				     1 + static_cast<uint32_t>(rng() % 8)});
		// Unique names.
		std::sort(a.begin(), a.end(), [](auto &x, auto &y) { return x.name < y.name; });
		a.erase(std::unique(a.begin(), a.end(),
				    [](auto &x, auto &y) { return x.name == y.name; }),
			a.end());
		std::vector<MaglevBackend> b = a;
		std::shuffle(b.begin(), b.end(), rng);
		std::vector<uint32_t> ids(b.size());
		std::iota(ids.begin(), ids.end(), 1);
		std::shuffle(ids.begin(), ids.end(), rng);
		for (size_t i = 0; i < b.size(); i++)
			b[i].id = ids[i] * 7;
		const uint32_t size = round % 2 ? 251 : 65537;
		std::vector<uint32_t> ta = maglev_table(a, size);
		std::vector<uint32_t> tb = maglev_table(b, size);
		std::map<uint32_t, std::string> name_a;
		std::map<uint32_t, std::string> name_b;
		for (const MaglevBackend &x : a)
			name_a[x.id] = x.name;
		for (const MaglevBackend &x : b)
			name_b[x.id] = x.name;
		uint32_t differ = 0;
		for (uint32_t e = 0; e < size; e++)
			differ += name_a[ta[e]] != name_b[tb[e]];
		EXPECT_EQ(differ, 0u) << "round " << round << ", " << a.size() << " backends";
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
	std::vector<uint32_t> after = maglev_table(backends, kSize);
	auto rebuilt = std::chrono::steady_clock::now();
	auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
	std::printf("maglev 65537 x 100: build %.2f ms, without one %.2f ms (%u, %u ids)\n",
		    ms(built - start), ms(rebuilt - built), table.back(), after.back());
}

// ---- the control plane: a fleet of balancers agrees whatever each one's history ----------

namespace {

namespace lb = netext::lb;

using netext::lb::testing::MemoryLbMaps;

constexpr uint32_t kRing = 251;

struct FleetMember {
	MemoryLbMaps *maps;
	lb::Balancer balancer;
	explicit FleetMember(std::unique_ptr<MemoryLbMaps> m)
		: maps(m.get()), balancer(std::move(m), kRing)
	{}
};

FleetMember make_member()
{
	return FleetMember(std::make_unique<MemoryLbMaps>(kRing));
}

// Each VIP's table as backend addresses: what a flow hashing to each entry is sent to.
std::map<std::string, std::vector<std::string>> routes(FleetMember &m)
{
	std::map<std::string, std::vector<std::string>> out;
	for (const lb::VipStatus &v : m.balancer.vips()) {
		std::map<uint32_t, std::string> name;
		for (const lb::BackendStatus &b : m.balancer.backends(v.service))
			name[b.id] = b.addr.str();
		std::vector<std::string> &t = out[v.service.str()];
		for (uint32_t e = 0; e < kRing; e++) {
			uint32_t id = m.maps->ring()[size_t{v.index} * kRing + e];
			t.push_back(id ? name[id] : "-");
		}
	}
	return out;
}

struct Target {
	lb::Service vip;
	std::map<std::string, uint16_t> active; // address -> weight
	std::vector<std::string> draining;
};

} // namespace

// Two balancers reach the same configuration by different random histories (VIPs and
// backends added in different orders, extra backends added then deleted, backends drained and
// taken back, weights changed and changed back, a VIP deleted and re-added): every table entry
// of every VIP sends its flows to the same backend address on both.
TEST(LbFleet, AnyHistoryToTheSameConfigurationGivesTheSameTables)
{
	std::mt19937 rng(42);
	for (uint32_t round = 0; round < 20; round++) {
		std::vector<Target> targets;
		for (uint32_t v = 0; v < 3; v++) {
			Target t;
			t.vip = lb::Service::parse("198.18.1." + std::to_string(10 + v) +
						   ":80/tcp");
			uint32_t n = 2 + rng() % 6;
			for (uint32_t b = 0; b < n; b++)
				t.active["198.18.2." + std::to_string(1 + rng() % 200)] =
					static_cast<uint16_t>(1 + rng() % 4);
			if (rng() % 2)
				t.draining.push_back("198.18.3." + std::to_string(1 + v));
			targets.push_back(t);
		}
		auto build = [&](uint32_t seed) {
			std::mt19937 r(seed);
			FleetMember m = make_member();
			std::vector<size_t> order(targets.size());
			std::iota(order.begin(), order.end(), 0);
			std::shuffle(order.begin(), order.end(), r);
			// A VIP that comes and goes first, taking backend slots with it.
			const lb::Service gone = lb::Service::parse("198.18.1.99:80/tcp");
			m.balancer.add_vip(gone);
			for (uint32_t k = 0; k < r() % 5; k++)
				m.balancer.add_backend(
					gone,
					lb::IpAddress::parse("198.18.4." + std::to_string(k + 1)));
			const size_t del_at = r() % (order.size() + 1);
			for (size_t j = 0; j < order.size(); j++) {
				if (j == del_at)
					m.balancer.del_vip(gone);
				const Target &t = targets[order[j]];
				m.balancer.add_vip(t.vip);
				std::vector<std::pair<std::string, uint16_t>> list(t.active.begin(),
										   t.active.end());
				std::shuffle(list.begin(), list.end(), r);
				for (const auto &[addr, w] : list) {
					auto a = lb::IpAddress::parse(addr);
					if (r() % 3 == 0) { // another weight first
						m.balancer.add_backend(
							t.vip, a, static_cast<uint16_t>(w + 1));
					}
					if (r() % 3 == 0) { // drained and taken back
						m.balancer.add_backend(t.vip, a, w);
						m.balancer.drain_backend(t.vip, a);
					}
					if (r() % 4 == 0) { // an extra backend that leaves again
						auto x = lb::IpAddress::parse(
							"198.18.5." + std::to_string(1 + r() % 50));
						m.balancer.add_backend(t.vip, x);
						m.balancer.del_backend(t.vip, x);
					}
					m.balancer.add_backend(t.vip, a, w);
				}
				for (const std::string &d : t.draining) {
					m.balancer.add_backend(t.vip, lb::IpAddress::parse(d));
					m.balancer.drain_backend(t.vip, lb::IpAddress::parse(d));
				}
			}
			if (del_at == order.size())
				m.balancer.del_vip(gone);
			return routes(m);
		};
		auto a = build(1000 + round);
		auto b = build(2000 + round);
		ASSERT_EQ(a.size(), targets.size());
		ASSERT_EQ(b.size(), targets.size());
		for (const Target &t : targets) {
			const auto &ta = a[t.vip.str()];
			const auto &tb = b[t.vip.str()];
			uint32_t differ = 0;
			for (uint32_t e = 0; e < kRing; e++)
				differ += ta[e] != tb[e];
			EXPECT_EQ(differ, 0u) << "round " << round << ", VIP " << t.vip.str();
		}
	}
}
