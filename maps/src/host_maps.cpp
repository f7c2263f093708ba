// Host map storage with the kernel's semantics (kernel/bpf/arraymap.c, hashtab.c).
#include <netext/maps.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace netext::host {

namespace {

unsigned g_current_cpu = 0;

std::vector<MapBase *> &registry()
{
	static std::vector<MapBase *> maps;
	return maps;
}

} // namespace

void set_current_cpu(unsigned cpu)
{
	if (cpu >= kHostCpus)
		throw std::out_of_range("netext host: cpu " + std::to_string(cpu) +
					" >= kHostCpus (" + std::to_string(kHostCpus) + ")");
	g_current_cpu = cpu;
}

unsigned current_cpu()
{
	return g_current_cpu;
}

MapBase::MapBase(const char *app, const char *name, MapKind kind, uint32_t key_size,
		 uint32_t value_size, uint32_t max_entries, uint32_t flags)
	: app_(app), name_(name), kind_(kind), key_size_(key_size), value_size_(value_size),
	  max_entries_(max_entries), flags_(flags)
{
	if (is_array(kind_))
		array_.assign(static_cast<std::size_t>(max_entries_) * ncpus() * value_size_, 0);
	registry().push_back(this);
}

MapBase::~MapBase()
{
	std::erase(registry(), this);
}

unsigned MapBase::ncpus() const noexcept
{
	return is_per_cpu(kind_) ? kHostCpus : 1;
}

uint32_t MapBase::array_index(const void *key) const noexcept
{
	uint32_t i = 0;
	std::memcpy(&i, key, sizeof(i));
	return i;
}

void MapBase::touch(Entry &e)
{
	if (is_lru(kind_))
		lru_.splice(lru_.begin(), lru_, e.lru_pos);
}

uint8_t *MapBase::lookup(const void *key)
{
	return lookup_cpu(key, g_current_cpu);
}

uint8_t *MapBase::lookup_cpu(const void *key, unsigned cpu)
{
	unsigned slot = is_per_cpu(kind_) ? cpu : 0;
	if (slot >= ncpus())
		return nullptr;
	if (is_array(kind_)) {
		uint32_t i = array_index(key);
		if (i >= max_entries_)
			return nullptr;
		return array_.data() + (static_cast<std::size_t>(i) * ncpus() + slot) * value_size_;
	}
	auto it = hash_.find(std::string(static_cast<const char *>(key), key_size_));
	if (it == hash_.end())
		return nullptr;
	touch(it->second);
	return it->second.values.get() + static_cast<std::size_t>(slot) * value_size_;
}

int MapBase::update(const void *key, const void *value, uint64_t flags)
{
	if (flags > static_cast<uint64_t>(Update::Exist))
		return -EINVAL;
	unsigned slot = is_per_cpu(kind_) ? g_current_cpu : 0;
	if (is_array(kind_)) {
		uint32_t i = array_index(key);
		if (i >= max_entries_)
			return -E2BIG;
		if (flags == static_cast<uint64_t>(Update::NoExist))
			return -EEXIST; // every array element always exists
		std::memcpy(array_.data() +
				    (static_cast<std::size_t>(i) * ncpus() + slot) * value_size_,
			    value, value_size_);
		return 0;
	}
	std::string k(static_cast<const char *>(key), key_size_);
	auto it = hash_.find(k);
	if (it != hash_.end()) {
		if (flags == static_cast<uint64_t>(Update::NoExist))
			return -EEXIST;
		std::memcpy(it->second.values.get() + static_cast<std::size_t>(slot) * value_size_,
			    value, value_size_);
		touch(it->second);
		return 0;
	}
	if (flags == static_cast<uint64_t>(Update::Exist))
		return -ENOENT;
	if (hash_.size() >= max_entries_) {
		if (!is_lru(kind_))
			return -E2BIG;
		hash_.erase(lru_.back()); // evict the least recently used
		lru_.pop_back();
	}
	Entry e;
	std::size_t bytes = static_cast<std::size_t>(ncpus()) * value_size_;
	e.values = std::make_unique<uint8_t[]>(bytes); // zeroed: other CPUs start at 0
	std::memcpy(e.values.get() + static_cast<std::size_t>(slot) * value_size_, value,
		    value_size_);
	lru_.push_front(k);
	e.lru_pos = lru_.begin();
	hash_.emplace(std::move(k), std::move(e));
	return 0;
}

int MapBase::erase(const void *key)
{
	if (is_array(kind_))
		return -EINVAL;
	auto it = hash_.find(std::string(static_cast<const char *>(key), key_size_));
	if (it == hash_.end())
		return -ENOENT;
	lru_.erase(it->second.lru_pos);
	hash_.erase(it);
	return 0;
}

std::vector<std::vector<uint8_t>> MapBase::keys() const
{
	std::vector<std::vector<uint8_t>> out;
	if (is_array(kind_)) {
		for (uint32_t i = 0; i < max_entries_; i++) {
			std::vector<uint8_t> k(sizeof(i));
			std::memcpy(k.data(), &i, sizeof(i));
			out.push_back(std::move(k));
		}
		return out;
	}
	for (const auto &[k, e] : hash_)
		out.emplace_back(k.begin(), k.end());
	std::sort(out.begin(), out.end());
	return out;
}

void MapBase::clear()
{
	std::fill(array_.begin(), array_.end(), 0);
	hash_.clear();
	lru_.clear();
}

MapBase *find_map(std::string_view app, std::string_view name)
{
	for (MapBase *m : registry())
		if (m->app() == app && m->name() == name)
			return m;
	return nullptr;
}

std::vector<MapBase *> maps(std::string_view app)
{
	std::vector<MapBase *> out;
	for (MapBase *m : registry())
		if (m->app() == app)
			out.push_back(m);
	return out;
}

} // namespace netext::host
