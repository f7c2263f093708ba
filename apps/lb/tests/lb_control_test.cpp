// The LB control plane (netext/lb/balancer.hpp) on in-memory maps: a change interrupted
// after any single map write (a killed `netext lb`) never hands a VIP's backends to the
// next VIP (issue 26, item 4), and a change reads the backend slots once and writes only
// what changes (issue 20: it looked every one of the 1024 slots up two or three times).
#include <netext/lb/balancer.hpp>

#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "memory_lb_maps.hpp"

namespace lb = netext::lb;
using lb::testing::MemoryLbMaps;

namespace {

constexpr uint32_t kRing = 251;

struct Interrupted {};

lb::IpAddress ip(const std::string &s)
{
	return lb::IpAddress::parse(s);
}

lb::Addr addr_of(const std::string &s)
{
	lb::Addr a{};
	lb::IpAddress p = ip(s);
	std::memcpy(&a, p.bytes.data(), 4);
	return a;
}

// The LB as the next `netext lb` command finds it: a Balancer on the same maps.
struct Lb {
	MemoryLbMaps *maps;
	lb::Balancer balancer;
	Lb() : Lb(std::make_unique<MemoryLbMaps>(kRing)) {}

private:
	explicit Lb(std::unique_ptr<MemoryLbMaps> m) : maps(m.get()), balancer(std::move(m), kRing)
	{}
};

// Runs change() with the maps "killed" after `after` writes (-1: never); returns the
// writes it made.
template <class F>
uint64_t run_until(Lb &l, int64_t after, F change)
{
	uint64_t start = l.maps->writes;
	l.maps->after_write = [&] {
		if (after >= 0 && static_cast<int64_t>(l.maps->writes - start) >= after)
			throw Interrupted{};
	};
	try {
		change();
	} catch (const Interrupted &) {
	}
	l.maps->after_write = nullptr;
	return l.maps->writes - start;
}

// The index of a VIP, or -1.
int64_t index_of(Lb &l, const lb::Service &s)
{
	for (const lb::VipStatus &v : l.balancer.vips())
		if (v.service == s)
			return v.index;
	return -1;
}

// Every backend slot still in use whose VIP index is `index`: its address.
std::set<std::string> in_use(Lb &l, uint32_t index)
{
	std::set<std::string> out;
	for (uint32_t i = 0; i < lb::kMaxBackends; i++) {
		const lb::Backend &b = l.maps->backend(i);
		if (b.state != lb::Free && b.vip == index) {
			char buf[INET_ADDRSTRLEN] = {};
			inet_ntop(AF_INET, &b.addr, buf, sizeof(buf));
			out.insert(buf);
		}
	}
	return out;
}

const lb::Service kOld = lb::Service::parse("198.18.1.1:80/tcp");
const lb::Service kNew = lb::Service::parse("198.18.1.2:80/tcp");
const std::vector<std::string> kOldBackends = {"198.18.2.1", "198.18.2.2", "198.18.2.3"};

// After an interrupted change that may have left kOld's backends behind, the next
// commands add kNew with one backend: kNew's table and backends must be its own only;
// then kOld's deletion (if kOld is still listed) is finished by running it again.
void expect_next_vip_clean(Lb &l, uint64_t k)
{
	SCOPED_TRACE("interrupted after write " + std::to_string(k));
	l.balancer.add_vip(kNew);
	l.balancer.add_backend(kNew, ip("198.18.3.1"));
	int64_t idx = index_of(l, kNew);
	ASSERT_GE(idx, 0);
	const auto index = static_cast<uint32_t>(idx);
	EXPECT_EQ(in_use(l, index), std::set<std::string>{"198.18.3.1"});
	std::vector<lb::BackendStatus> bs = l.balancer.backends(kNew);
	ASSERT_EQ(bs.size(), 1u);
	for (uint32_t e = 0; e < kRing; e++)
		ASSERT_EQ(l.maps->ring()[size_t{index} * kRing + e], bs[0].id) << "entry " << e;
	if (index_of(l, kOld) >= 0)
		l.balancer.del_vip(kOld);
	EXPECT_EQ(index_of(l, kOld), -1);
	for (uint32_t i = 0; i < lb::kMaxBackends; i++) {
		const lb::Backend &b = l.maps->backend(i);
		if (b.state == lb::Free)
			continue;
		for (const std::string &old : kOldBackends)
			EXPECT_NE(b.addr, addr_of(old)) << "slot " << i << " kept " << old;
	}
}

} // namespace

// `vip del` killed after its k-th map write, for every k: the next VIP gets none of the
// deleted VIP's backends (before the fix the VIP's key went first, and `vip add` reused its
// index with the backends still naming it: the new VIP sent 3 of 4 flows to them).
TEST(LbControl, InterruptedVipDelHandsNoBackendToTheNextVip)
{
	uint64_t total = 0;
	{
		Lb l;
		l.balancer.add_vip(kOld);
		for (const std::string &b : kOldBackends)
			l.balancer.add_backend(kOld, ip(b));
		total = run_until(l, -1, [&] { l.balancer.del_vip(kOld); });
	}
	ASSERT_GT(total, kRing);
	for (uint64_t k = 0; k <= total; k++) {
		Lb l;
		l.balancer.add_vip(kOld);
		for (const std::string &b : kOldBackends)
			l.balancer.add_backend(kOld, ip(b));
		run_until(l, static_cast<int64_t>(k), [&] { l.balancer.del_vip(kOld); });
		expect_next_vip_clean(l, k);
		if (HasFailure())
			return;
	}
}

// A new VIP's set_vip (what `lb apply` runs) killed after its k-th write: the VIP was not
// published, so its index is free again, and the backends already written for it must
// not go to the VIP that takes the index next.
TEST(LbControl, InterruptedNewVipLeavesNoBackendToTheNextVip)
{
	std::vector<lb::BackendSpec> want;
	for (const std::string &b : kOldBackends)
		want.push_back({ip(b), 1, false});
	uint64_t total = 0;
	{
		Lb l;
		total = run_until(l, -1, [&] { l.balancer.set_vip(kOld, want); });
	}
	for (uint64_t k = 0; k <= total; k++) {
		Lb l;
		run_until(l, static_cast<int64_t>(k), [&] { l.balancer.set_vip(kOld, want); });
		expect_next_vip_clean(l, k);
		if (HasFailure())
			return;
	}
}

namespace {

// Counts what the control plane asks of the maps.
class CountingMaps : public lb::LbMaps {
public:
	explicit CountingMaps(std::unique_ptr<MemoryLbMaps> m) : inner(std::move(m)) {}
	bool lookup(Which m, const void *key, void *value) override
	{
		if (m == Backends)
			backend_lookups++;
		return inner->lookup(m, key, value);
	}
	void update(Which m, const void *key, const void *value) override
	{
		if (m == Backends)
			backend_writes++;
		inner->update(m, key, value);
	}
	void erase(Which m, const void *key) override { inner->erase(m, key); }
	std::vector<std::vector<uint8_t>> keys(Which m) override { return inner->keys(m); }
	void read_ring(uint32_t first, std::span<uint32_t> out) override
	{
		inner->read_ring(first, out);
	}
	void write_ring(uint32_t first, std::span<const uint32_t> e) override
	{
		inner->write_ring(first, e);
	}
	void read_array(Which m, uint32_t value_size, std::span<uint8_t> out) override
	{
		if (m == Backends)
			backend_reads++;
		inner->read_array(m, value_size, out);
	}
	void reset() { backend_lookups = backend_writes = backend_reads = 0; }
	std::unique_ptr<MemoryLbMaps> inner;
	uint64_t backend_lookups = 0, backend_writes = 0, backend_reads = 0;
};

} // namespace

// With 900 of the 1024 slots taken (and 1 more), each change reads the slots once (one batched read
// on the kernel's maps) and writes only the backends it changes.
TEST(LbControl, AChangeReadsTheSlotsOnceAndWritesOnlyWhatChanges)
{
	constexpr uint32_t kBig = 1021; // a prime above the backends of one VIP
	auto counting = std::make_unique<CountingMaps>(std::make_unique<MemoryLbMaps>(kBig));
	CountingMaps &c = *counting;
	lb::Balancer b(std::move(counting), kBig);
	std::vector<lb::Service> vips;
	for (int v = 0; v < 3; v++) {
		vips.push_back(lb::Service::parse("198.18.1." + std::to_string(v + 1) + ":80/tcp"));
		std::vector<lb::BackendSpec> want;
		for (int i = 0; i < 300; i++) // 198.18.1v.1-250, then 198.19.1v.1-50
			want.push_back(
				{ip("198." + std::to_string(18 + i / 250) + "." +
				    std::to_string(10 + v) + "." + std::to_string(i % 250 + 1)),
				 1, false});
		b.set_vip(vips.back(), want);
	}
	auto expect_change = [&](const char *what, auto change, uint64_t writes) {
		SCOPED_TRACE(what);
		c.reset();
		change();
		EXPECT_LE(c.backend_lookups, 1u);
		EXPECT_EQ(c.backend_reads, 1u);
		EXPECT_EQ(c.backend_writes, writes);
	};
	const lb::IpAddress fresh = ip("198.18.99.1");
	expect_change(
		"add", [&] { b.add_backend(vips[1], fresh); }, 1);
	expect_change(
		"weight", [&] { b.add_backend(vips[1], fresh, 3); }, 1);
	expect_change(
		"drain", [&] { b.drain_backend(vips[1], fresh); }, 1);
	expect_change(
		"del", [&] { b.del_backend(vips[1], fresh); }, 2);
	c.reset();
	b.del_vip(vips[2]);
	EXPECT_EQ(c.backend_reads, 1u);
	EXPECT_EQ(c.backend_lookups, 0u);
	EXPECT_EQ(c.backend_writes, 300u); // its backends, each freed once
}
