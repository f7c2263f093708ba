// Host maps: in-memory, with the kernel's semantics and error codes, per-CPU storage for
// kHostCpus CPUs (the current one chosen with set_current_cpu), and LRU eviction.
#pragma once

#include <cstdint>
#include <cstring>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace netext::host {

inline constexpr unsigned kHostCpus = 4;

void set_current_cpu(unsigned cpu);
unsigned current_cpu();

// Untyped map storage; the typed Map template is a thin layer over it. User space
// (tests, the host runner) reaches maps by app and name through find_map().
class MapBase {
public:
	MapBase(const char *app, const char *name, MapKind kind, uint32_t key_size,
		uint32_t value_size, uint32_t max_entries, uint32_t flags);
	virtual ~MapBase();
	MapBase(const MapBase &) = delete;
	MapBase &operator=(const MapBase &) = delete;

	[[nodiscard]] const std::string &app() const noexcept { return app_; }
	[[nodiscard]] const std::string &name() const noexcept { return name_; }
	[[nodiscard]] MapKind kind() const noexcept { return kind_; }
	[[nodiscard]] uint32_t key_size() const noexcept { return key_size_; }
	[[nodiscard]] uint32_t value_size() const noexcept { return value_size_; }
	[[nodiscard]] uint32_t max_entries() const noexcept { return max_entries_; }
	// BPF_F_* map flags as declared (none changes the host's semantics yet).
	[[nodiscard]] uint32_t flags() const noexcept { return flags_; }

	// Program-side operations (per-CPU maps act on the current CPU's value).
	uint8_t *lookup(const void *key);
	int update(const void *key, const void *value, uint64_t flags);
	int erase(const void *key);

	// User-space operations: a CPU's value, all keys, and a reset.
	uint8_t *lookup_cpu(const void *key, unsigned cpu);
	[[nodiscard]] std::vector<std::vector<uint8_t>> keys() const;
	void clear();

private:
	struct Entry {
		std::unique_ptr<uint8_t[]> values; // ncpus * value_size
		std::list<std::string>::iterator lru_pos;
	};
	[[nodiscard]] unsigned ncpus() const noexcept;
	[[nodiscard]] uint32_t array_index(const void *key) const noexcept;
	void touch(Entry &e);

	std::string app_, name_;
	MapKind kind_;
	uint32_t key_size_, value_size_, max_entries_, flags_;
	std::vector<uint8_t> array_;		      // array kinds
	std::unordered_map<std::string, Entry> hash_; // hash kinds, keyed by key bytes
	std::list<std::string> lru_;		      // most recently used first
};

// nullptr if no such map is linked in.
MapBase *find_map(std::string_view app, std::string_view name);
std::vector<MapBase *> maps(std::string_view app);

} // namespace netext::host

namespace netext {

template <MapKind Kind, Wire K, Wire V, uint32_t N, uint32_t Flags = 0>
	requires(N > 0 && detail::map_types_ok<Kind, K, V, N>())
class Map : public host::MapBase {
public:
	Map(const char *app, const char *name)
		: MapBase(app, name, Kind, sizeof(K), sizeof(V), N, Flags)
	{}
	Ref<V> lookup(const K &k) noexcept
	{
		return Ref<V>(reinterpret_cast<V *>(MapBase::lookup(&k)));
	}
	int update(const K &k, const V &v, Update f = Update::Any) noexcept
	{
		return MapBase::update(&k, &v, static_cast<uint64_t>(f));
	}
	int erase(const K &k) noexcept { return MapBase::erase(&k); }
};

template <uint32_t Size>
class RingBuf {
public:
	RingBuf(const char * /*app*/, const char * /*name*/) {}
	template <Wire T>
	int output(const T &record) noexcept
	{
		// in 64 bits: the size goes to the kernel as a u64, and must fit the buffer
		static_assert(uint64_t{sizeof(T)} <= Size,
			      "a ring buffer record is at most its size");
		if (used_ + sizeof(T) > Size)
			return -11; // -EAGAIN: full
		std::vector<uint8_t> r(sizeof(T));
		std::memcpy(r.data(), &record, sizeof(T));
		used_ += sizeof(T);
		records_.push_back(std::move(r));
		return 0;
	}
	// User space: takes the oldest record, if any.
	bool consume(std::vector<uint8_t> &out)
	{
		if (records_.empty())
			return false;
		out = std::move(records_.front());
		records_.erase(records_.begin());
		used_ -= out.size();
		return true;
	}

private:
	std::vector<std::vector<uint8_t>> records_;
	std::size_t used_ = 0;
};

} // namespace netext

#define NETEXT_MAP(name, ...)                                                                      \
	NETEXT_MAP_TYPE_CHECK_(__VA_ARGS__);                                                       \
	static __VA_ARGS__ name                                                                    \
	{                                                                                          \
		NETEXT_APP_NAME_STR, #name                                                         \
	}
