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
// round(size * w_i / sum w) entries, +-1 (largest-remainder quotas summing to size).
// `previous` is the table in use (empty for none; ignored if its size differs). Minimal
// disruption: an entry of previous whose id still belongs to a backend keeps it as long as that
// backend stays within its quota, so removing a backend moves only its entries, and adding one
// moves about size/(N+1). A backend over its quota releases first the entries a from-scratch
// build would give to a backend short of its quota, then to any other backend, then the rest.
// Entries that must change are filled in Maglev's way: each backend walks its own permutation
// (offset/skip from two different hashes of `name`) and takes the next free entry, backends in
// turns weighted so that each ends at its quota.
// Without previous, the table depends only on the set of (name, weight, id), not on the order.
// Throws std::invalid_argument if size is not prime, an id is 0 or duplicated, a weight is 0,
// or there are more backends than entries.
std::vector<uint32_t> maglev_table(std::span<const MaglevBackend> backends, uint32_t size,
				   std::span<const uint32_t> previous = {});

} // namespace netext::lb
