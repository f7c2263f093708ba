#include <netext/lb/maglev.hpp>

#include <algorithm>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace netext::lb {

namespace {

// Marks a free entry in the table of backend indices the builder works on.
constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();

constexpr uint64_t kOffsetSeed = 0x6d61676c65762d6full; // "maglev-o"
constexpr uint64_t kSkipSeed = 0x6d61676c65762d73ull;	// "maglev-s"

uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

// FNV-1a takes in every byte; its low bits are weak (we reduce modulo the size), so a
// splitmix64 finaliser mixes them. The seed changes the basis, making two independent hashes.
uint64_t name_hash(std::string_view name, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;
	for (unsigned char c : name) {
		h ^= c;
		h *= 0x100000001b3ull;
	}
	return splitmix64(h);
}

// Backend b's preference list: entry offset + k * skip (mod size) is its k-th choice; size
// is prime, so every skip in [1, size - 1] visits every entry once.
struct Permutation {
	uint32_t offset;
	uint32_t skip;
};

struct Builder {
	uint32_t size;
	std::vector<const MaglevBackend *> backends; // sorted by name
	std::vector<Permutation> perms;
	std::vector<uint32_t> quota;

	uint32_t step(uint32_t pos, uint32_t skip) const
	{
		// pos + skip may not fit 32 bits.
		return pos >= size - skip ? pos - (size - skip) : pos + skip;
	}

	// Fills every free entry of owner. Backend b takes need[b] of them, each the next free
	// entry of its permutation. Turns go to the backend with the smallest (taken + 1) / need,
	// so all backends end together as in Maglev's round robin, which this is for equal needs.
	void fill(std::vector<uint32_t> &owner, const std::vector<uint32_t> &need) const
	{
		struct Turn {
			uint32_t backend;
			uint32_t taken;
		};
		auto later = [&need](const Turn &a, const Turn &b) {
			uint64_t ka = uint64_t{a.taken + 1} * need[b.backend];
			uint64_t kb = uint64_t{b.taken + 1} * need[a.backend];
			return ka != kb ? ka > kb : a.backend > b.backend;
		};
		std::priority_queue<Turn, std::vector<Turn>, decltype(later)> turns(later);
		std::vector<uint32_t> next(backends.size());
		std::vector<uint32_t> walked(backends.size(), 0);
		for (uint32_t b = 0; b < backends.size(); b++) {
			next[b] = perms[b].offset;
			if (need[b] > 0)
				turns.push({b, 0});
		}
		while (!turns.empty()) {
			Turn t = turns.top();
			turns.pop();
			uint32_t b = t.backend;
			uint32_t pos = next[b];
			// Entries never become free again: a walk passes each entry once at most.
			while (owner[pos] != kFree) {
				if (++walked[b] >= size)
					throw std::logic_error("maglev_table: need > free");
				pos = step(pos, perms[b].skip);
			}
			owner[pos] = b;
			walked[b]++;
			next[b] = step(pos, perms[b].skip);
			if (++t.taken < need[b])
				turns.push(t);
		}
	}
};

// Largest-remainder quotas: floor(size * w / total), plus one for the largest remainders
// (ties to the earlier name) until they sum to size.
std::vector<uint32_t> quotas(const std::vector<const MaglevBackend *> &backends, uint32_t size)
{
	uint64_t total = 0;
	for (const MaglevBackend *b : backends)
		total += b->weight;
	std::vector<uint32_t> quota(backends.size());
	std::vector<std::pair<uint64_t, uint32_t>> remainders;
	uint64_t assigned = 0;
	for (uint32_t i = 0; i < backends.size(); i++) {
		uint64_t share = uint64_t{size} * backends[i]->weight; // < 2^64: both < 2^32
		quota[i] = static_cast<uint32_t>(share / total);
		assigned += quota[i];
		remainders.emplace_back(share % total, i);
	}
	std::sort(remainders.begin(), remainders.end(), [](const auto &a, const auto &b) {
		return a.first != b.first ? a.first > b.first : a.second < b.second;
	});
	for (uint64_t k = 0; assigned + k < size; k++)
		quota[remainders[k].second]++;
	return quota;
}

void validate(std::span<const MaglevBackend> backends, uint32_t size)
{
	if (!is_prime(size))
		throw std::invalid_argument("maglev_table: table size " + std::to_string(size) +
					    " is not prime");
	if (backends.size() > size)
		throw std::invalid_argument("maglev_table: " + std::to_string(backends.size()) +
					    " backends do not fit a table of " +
					    std::to_string(size) + " entries");
	std::unordered_map<uint32_t, const MaglevBackend *> ids;
	for (const MaglevBackend &b : backends) {
		if (b.id == 0)
			throw std::invalid_argument("maglev_table: backend '" + b.name +
						    "' has id 0 (reserved for no backend)");
		if (b.weight == 0)
			throw std::invalid_argument("maglev_table: backend '" + b.name +
						    "' has weight 0");
		auto [it, inserted] = ids.emplace(b.id, &b);
		if (!inserted)
			throw std::invalid_argument("maglev_table: backends '" + it->second->name +
						    "' and '" + b.name + "' share id " +
						    std::to_string(b.id));
	}
}

} // namespace

bool is_prime(uint32_t n)
{
	if (n < 2)
		return false;
	if (n % 2 == 0)
		return n == 2;
	for (uint32_t d = 3; uint64_t{d} * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return true;
}

std::vector<uint32_t> maglev_table(std::span<const MaglevBackend> backends, uint32_t size)
{
	validate(backends, size);
	if (backends.empty())
		return std::vector<uint32_t>(size, 0);

	Builder builder{.size = size, .backends = {}, .perms = {}, .quota = {}};
	for (const MaglevBackend &b : backends)
		builder.backends.push_back(&b);
	// By name (then id) so that the order given does not matter.
	std::sort(builder.backends.begin(), builder.backends.end(), [](auto *a, auto *b) {
		return a->name != b->name ? a->name < b->name : a->id < b->id;
	});
	for (const MaglevBackend *b : builder.backends) {
		uint32_t offset = static_cast<uint32_t>(name_hash(b->name, kOffsetSeed) % size);
		uint64_t skip_hash = name_hash(b->name, kSkipSeed);
		uint32_t skip = static_cast<uint32_t>(skip_hash % (size - 1) + 1);
		builder.perms.push_back({offset, skip});
	}
	builder.quota = quotas(builder.backends, size);

	std::vector<uint32_t> owner(size, kFree);
	builder.fill(owner, builder.quota);

	std::vector<uint32_t> table(size);
	for (uint32_t e = 0; e < size; e++)
		table[e] = builder.backends[owner[e]]->id;
	return table;
}

} // namespace netext::lb
