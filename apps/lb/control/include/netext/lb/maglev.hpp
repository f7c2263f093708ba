// Maglev consistent hashing (Eisenbud et al., NSDI 2016) for the L4 load balancer's control
// plane: the lookup table the XDP program indexes with a flow's hash to pick a backend.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace netext::lb {

struct MaglevBackend {
	uint32_t id;	  // stored in the table for this backend (never 0: 0 means "no backend")
	std::string name; // stable identity (e.g. "198.18.2.1"): the permutation depends only on it
	uint32_t weight;  // > 0
};

bool is_prime(uint32_t n);

// Builds a lookup table of `size` entries (size prime). Every entry holds some backend's id,
// or 0 everywhere when `backends` is empty. Shares follow the weights: backend i gets
// round(size * w_i / sum w) entries, +-1 (largest-remainder quotas summing to size). Entries
// are filled in Maglev's way: each backend walks its own permutation (offset/skip from two
// different hashes of `name`) and takes the next free entry, backends in turns weighted so
// that each ends at its quota.
// The table is a pure function of the set of (name, weight) pairs, and of each name's id: not of
// the order given, nor of any earlier table. Two balancers of a fleet given the same backends, in
// any order and after any history of changes, route every flow to the same backend name (ids may
// differ between them; the names are what must agree). The price is Maglev's near-minimal (not
// minimal) disruption: removing one of N backends also moves a fraction of a percent of the
// others' entries (0.2 % at N = 10, 0.55 % at N = 100, size 65537).
// Throws std::invalid_argument if size is not prime, an id is 0 or duplicated, a weight is 0,
// or there are more backends than entries.
std::vector<uint32_t> maglev_table(std::span<const MaglevBackend> backends, uint32_t size);

} // namespace netext::lb
