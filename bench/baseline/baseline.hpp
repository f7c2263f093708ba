// BaselineBmc: loads the eBPF-C BMC baseline (bmc_baseline.bpf.c), wires its tail calls,
// attaches it to an interface (XDP + tc egress) and reads its counters.
#pragma once

#include <netext/loader/object.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace netext::bench {

class BaselineBmc {
public:
	// The published BMC's key limit per GET (its tail-call budget, MAX_TAIL_CALL_CNT 33).
	static constexpr uint32_t kMaxKeysServed = 16;
	static constexpr uint32_t kDefaultEntries = 65536;

	// Opens the embedded object, sizes the cache to `entries` (map_kcache's max_entries
	// and the program's modulus), loads it and fills the prog arrays. Throws netext::Error
	// carrying libbpf's and the verifier's log on failure.
	explicit BaselineBmc(uint32_t entries = kDefaultEntries);
	~BaselineBmc();
	BaselineBmc(const BaselineBmc &) = delete;
	BaselineBmc &operator=(const BaselineBmc &) = delete;

	// Entry programs (BPF_PROG_TEST_RUN or attaching): bmc_rx_filter and bmc_tx_filter.
	[[nodiscard]] int xdp_fd() const;
	[[nodiscard]] int tc_fd() const;
	[[nodiscard]] uint32_t entries() const noexcept { return entries_; }
	// The loaded object (maps, every program's fd and info).
	[[nodiscard]] const loader::BpfObject &object() const noexcept { return obj_; }

	// Attaches bmc_rx_filter at XDP (native mode, else SKB mode) and bmc_tx_filter at tc
	// egress (a clsact qdisc is created if absent) on ifindex in the current network
	// namespace. Throws netext::Error if already attached or on failure (undoing what
	// it did).
	void attach(int ifindex);
	// Removes both (and the clsact qdisc if attach created it), in the namespace attach
	// ran in. Idempotent; the destructor calls it.
	void detach() noexcept;
	[[nodiscard]] bool attached() const noexcept { return ifindex_ != 0; }
	// "native" or "skb" while attached, else "".
	[[nodiscard]] const std::string &xdp_mode() const noexcept { return xdp_mode_; }

	// The per-CPU counters summed: get_recv_count, set_recv_count, get_resp_count,
	// hit_misprediction, hit_count, miss_count, update_count, invalidation_count.
	[[nodiscard]] std::map<std::string, uint64_t> stats() const;

private:
	loader::BpfObject obj_;
	uint32_t entries_;
	int ifindex_ = 0;
	int netns_fd_ = -1; // the namespace attach ran in
	uint32_t xdp_flags_ = 0;
	std::string xdp_mode_;
	uint32_t tc_handle_ = 0;
	uint32_t tc_priority_ = 0;
	bool qdisc_created_ = false;
};

} // namespace netext::bench
