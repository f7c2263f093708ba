// The LB's four maps in memory, for control-plane tests (maglev_test.cpp, lb_config_test.cpp),
// with the kernel's semantics: VIPs a hash map, backends and stats arrays (every index present,
// zero until written), the ring an array. Counts what is written and can check the maps after
// every single write (after_write), as the data plane could see them at that moment.
#pragma once

#include <netext/lb/balancer.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

#include "../../apps/lb/lb.hpp" // the LB maps' layout

namespace netext::lb::testing {

class MemoryLbMaps : public LbMaps {
public:
	explicit MemoryLbMaps(uint32_t ring_size) : ring_(size_t{kMaxVips} * ring_size) {}
	bool lookup(Which m, const void *key, void *value) override
	{
		if (m == Vips) {
			auto it = vips_.find(vip_key(key));
			if (it == vips_.end())
				return false;
			std::memcpy(value, &it->second, sizeof(Vip));
			return true;
		}
		uint32_t i = 0;
		std::memcpy(&i, key, 4);
		if (m == Backends) {
			if (i >= kMaxBackends)
				return false;
			std::memcpy(value, &backends_[i], sizeof(Backend));
			return true;
		}
		if (m == Stats) {
			std::memset(value, 0, 16);
			return i < kStatSlots;
		}
		return false;
	}
	void update(Which m, const void *key, const void *value) override
	{
		if (m == Vips) {
			Vip v{};
			std::memcpy(&v, value, sizeof(v));
			vips_[vip_key(key)] = v;
			wrote();
			return;
		}
		uint32_t i = 0;
		std::memcpy(&i, key, 4);
		if (m == Backends) {
			ASSERT_LT(i, kMaxBackends);
			std::memcpy(&backends_[i], value, sizeof(Backend));
			wrote();
		}
	}
	void erase(Which m, const void *key) override
	{
		if (m == Vips) {
			vips_.erase(vip_key(key));
			wrote();
		}
	}
	std::vector<std::vector<uint8_t>> keys(Which m) override
	{
		std::vector<std::vector<uint8_t>> out;
		if (m == Vips)
			for (const auto &[k, v] : vips_)
				out.emplace_back(k.begin(), k.end());
		return out;
	}
	void read_ring(uint32_t first, std::span<uint32_t> out) override
	{
		std::copy_n(ring_.begin() + first, out.size(), out.begin());
	}
	void write_ring(uint32_t first, std::span<const uint32_t> entries) override
	{
		// Entry by entry, as the kernel's batch update does: each is a moment to check.
		for (std::size_t i = 0; i < entries.size(); i++) {
			ring_[first + i] = entries[i];
			ring_entries_written++;
			wrote();
		}
	}

	[[nodiscard]] const std::vector<uint32_t> &ring() const { return ring_; }
	[[nodiscard]] const Backend &backend(uint32_t i) const { return backends_[i]; }
	// VIP key bytes -> VIP.
	[[nodiscard]] const std::map<std::string, Vip> &vips() const { return vips_; }

	uint64_t writes = 0;		   // map updates, erases and ring entries
	uint64_t ring_entries_written = 0; //
	std::function<void()> after_write; // called after each of them

private:
	void wrote()
	{
		writes++;
		if (after_write)
			after_write();
	}
	static std::string vip_key(const void *key)
	{
		return {static_cast<const char *>(key), sizeof(VipKey)};
	}
	std::map<std::string, Vip> vips_;
	std::array<Backend, kMaxBackends> backends_{};
	std::vector<uint32_t> ring_;
};

} // namespace netext::lb::testing
