// The LB control plane's map interface (lb::LbMaps, what Balancer reads and writes) on the
// host backend's maps: the maps the host runner's lb_rx uses, so a test or fuzz target
// configures the LB through its real control plane and sends packets through its real data
// plane. Header-only (the fuzz targets are built by clang from their sources directly).
//
//   lb::Balancer b(std::make_unique<testing::HostLbMaps>(), ring_size);
//
// `backend_slots` makes the backend table smaller than the program's (kMaxBackends): slots
// past it read as absent, so the control plane never gives them out and reports the table
// full when the first `backend_slots` are in use. The fuzz target uses it to reach that case
// and to keep each scan of the table cheap; the data plane is not affected.
// Failures throw netext::Error (as the pinned maps do), naming the map.
#pragma once

#include <netext/host/runtime.hpp>
#include <netext/lb/balancer.hpp>
#include <netext/loader/error.hpp>
#include <netext/maps.hpp>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "lb.hpp"

namespace netext::testing {

class HostLbMaps : public lb::LbMaps {
public:
	explicit HostLbMaps(uint32_t backend_slots = lb::kMaxBackends)
		: slots_(backend_slots < lb::kMaxBackends ? backend_slots : lb::kMaxBackends)
	{
		static const char *const names[4] = {"lb_vips", "lb_backends", "lb_ring",
						     "lb_stats"};
		for (int i = 0; i < 4; i++) {
			maps_[i] = host::find_map("lb", names[i]);
			if (maps_[i] == nullptr)
				throw Error(std::string("host lb maps: ") + names[i] +
					    " is not linked in (link the lb's host build)");
		}
		backends_ = contiguous(maps_[Backends], sizeof(lb::Backend));
		ring_ = contiguous(maps_[Ring], 4);
	}

	bool lookup(Which m, const void *key, void *value) override
	{
		host::MapBase *map = maps_[m];
		if (m == Backends) {
			uint32_t i = index(key);
			if (i >= slots_)
				return false;
			std::memcpy(value, backends_ + std::size_t{i} * sizeof(lb::Backend),
				    sizeof(lb::Backend));
			return true;
		}
		if (m == Stats) {
			uint64_t sum[2] = {};
			for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++) {
				const uint8_t *v = map->lookup_cpu(key, cpu);
				if (!v)
					return false;
				uint64_t c[2];
				std::memcpy(c, v, 16);
				sum[0] += c[0];
				sum[1] += c[1];
			}
			std::memcpy(value, sum, 16);
			return true;
		}
		const uint8_t *v = map->lookup(key);
		if (!v)
			return false;
		std::memcpy(value, v, map->value_size());
		return true;
	}
	void update(Which m, const void *key, const void *value) override
	{
		host::MapBase *map = maps_[m];
		if (m == Stats) { // zeroes a slot on every CPU
			for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++) {
				uint8_t *v = map->lookup_cpu(key, cpu);
				if (!v)
					throw Error("host lb maps: no stats slot " +
						    std::to_string(index(key)));
				std::memset(v, 0, 16);
			}
			return;
		}
		if (m == Backends && index(key) >= slots_)
			throw Error("host lb maps: backend slot " + std::to_string(index(key)) +
				    " is past the table's " + std::to_string(slots_));
		if (map->update(key, value, 0) != 0)
			throw Error("host lb maps: cannot update " + map->name());
	}
	void erase(Which m, const void *key) override
	{
		if (maps_[m]->erase(key) != 0)
			throw Error("host lb maps: cannot delete from " + maps_[m]->name());
	}
	std::vector<std::vector<uint8_t>> keys(Which m) override { return maps_[m]->keys(); }
	void read_ring(uint32_t first, std::span<uint32_t> out) override
	{
		ring_range(first, out.size());
		std::memcpy(out.data(), ring_ + std::size_t{first} * 4, out.size_bytes());
	}
	void write_ring(uint32_t first, std::span<const uint32_t> entries) override
	{
		ring_range(first, entries.size());
		std::memcpy(ring_ + std::size_t{first} * 4, entries.data(), entries.size_bytes());
	}

	[[nodiscard]] uint32_t backend_slots() const noexcept { return slots_; }
	[[nodiscard]] host::MapBase *map(Which m) const noexcept { return maps_[m]; }

private:
	static uint32_t index(const void *key)
	{
		uint32_t i = 0;
		std::memcpy(&i, key, 4);
		return i;
	}
	// The host's array maps keep their values in one block: its start (checked).
	static uint8_t *contiguous(host::MapBase *m, std::size_t value_size)
	{
		uint32_t first = 0, last = m->max_entries() - 1;
		uint8_t *p = m->lookup(&first);
		if (p == nullptr || m->value_size() != value_size ||
		    m->lookup(&last) != p + std::size_t{last} * value_size)
			throw Error("host lb maps: " + m->name() +
				    " is not one array of the lb's layout (rebuild the lb)");
		return p;
	}
	void ring_range(uint32_t first, std::size_t n) const
	{
		if (std::size_t{first} + n > maps_[Ring]->max_entries())
			throw Error("host lb maps: ring entries " + std::to_string(first) + "+" +
				    std::to_string(n) + " are past lb_ring");
	}

	uint32_t slots_;
	host::MapBase *maps_[4] = {};
	uint8_t *backends_ = nullptr;
	uint8_t *ring_ = nullptr;
};

} // namespace netext::testing
