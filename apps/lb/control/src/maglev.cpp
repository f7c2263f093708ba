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

uint32_t pow_mod(uint64_t base, uint64_t exp, uint32_t mod)
{
	uint64_t result = 1 % mod;
	base %= mod;
	while (exp) {
		if (exp & 1)
			result = result * base % mod;
		base = base * base % mod;
		exp >>= 1;
	}
	return static_cast<uint32_t>(result);
}

// Backend b's preference list: entry offset + k * skip (mod size) is its k-th choice; size
// is prime, so every skip in [1, size - 1] visits every entry once.
struct Permutation {
	uint32_t offset;
	uint32_t skip;
	uint32_t inverse_skip; // skip^-1 mod size: an entry's rank in the list
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

	uint32_t rank(uint32_t b, uint32_t entry) const
	{
		const Permutation &p = perms[b];
		uint64_t delta = entry >= p.offset ? entry - p.offset : entry + (size - p.offset);
		return static_cast<uint32_t>(delta * p.inverse_skip % size);
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

	std::vector<uint32_t> from_scratch() const
	{
		std::vector<uint32_t> owner(size, kFree);
		fill(owner, quota);
		return owner;
	}

	// Keeps previous's entries of each backend still present, up to its quota; returns
	// what each backend still needs.
	std::vector<uint32_t> keep(std::vector<uint32_t> &owner,
				   std::span<const uint32_t> previous) const
	{
		std::unordered_map<uint32_t, uint32_t> index;
		for (uint32_t b = 0; b < backends.size(); b++)
			index.emplace(backends[b]->id, b);
		std::vector<std::vector<uint32_t>> held(backends.size());
		for (uint32_t e = 0; e < size; e++) {
			auto it = index.find(previous[e]);
			if (it != index.end())
				held[it->second].push_back(e);
		}
		std::vector<uint32_t> scratch;
		std::vector<uint32_t> need(backends.size());
		for (uint32_t b = 0; b < backends.size(); b++) {
			std::vector<uint32_t> &entries = held[b];
			if (entries.size() > quota[b]) {
				if (scratch.empty())
					scratch = from_scratch();
				release_surplus(b, entries, scratch, held);
			}
			for (uint32_t e : entries)
				owner[e] = b;
			need[b] = quota[b] - static_cast<uint32_t>(entries.size());
		}
		return need;
	}

	// Drops from entries (backend b's, over its quota) the ones to give up, closest to
	// Maglev first: those a from-scratch build gives to a backend short of its quota, then to
	// any other backend, then b's own; within each, the ones b prefers least.
	void release_surplus(uint32_t b, std::vector<uint32_t> &entries,
			     const std::vector<uint32_t> &scratch,
			     const std::vector<std::vector<uint32_t>> &held) const
	{
		std::vector<std::pair<uint64_t, uint32_t>> ranked;
		ranked.reserve(entries.size());
		for (uint32_t e : entries) {
			uint32_t to = scratch[e];
			uint64_t tier = to == b ? 2 : held[to].size() < quota[to] ? 0 : 1;
			ranked.emplace_back((tier << 32) | (size - 1 - rank(b, e)), e);
		}
		auto surplus = static_cast<std::ptrdiff_t>(ranked.size() - quota[b]);
		auto released = ranked.begin() + surplus;
		std::nth_element(ranked.begin(), released, ranked.end());
		entries.clear();
		for (auto it = released; it != ranked.end(); ++it)
			entries.push_back(it->second);
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

std::vector<uint32_t> maglev_table(std::span<const MaglevBackend> backends, uint32_t size,
				   std::span<const uint32_t> previous)
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
		builder.perms.push_back({offset, skip, pow_mod(skip, size - 2, size)});
	}
	builder.quota = quotas(builder.backends, size);

	std::vector<uint32_t> owner(size, kFree);
	std::vector<uint32_t> need =
		previous.size() == size ? builder.keep(owner, previous) : builder.quota;
	builder.fill(owner, need);

	std::vector<uint32_t> table(size);
	for (uint32_t e = 0; e < size; e++)
		table[e] = builder.backends[owner[e]]->id;
	return table;
}

} // namespace netext::lb
