// LineGen: the line-rate memcached load generator (mcgen.bpf.c) on a testbed's client veth.
//
// BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES runs `mcgen` on a request frame again
// and again; each run writes a fresh UDP GET (1..32 keys, uniform or Zipf over N keys, a
// share of keys that were never stored) and sends it with XDP_TX out of the client's eth0
// to the server. `mcsink`, attached to the same eth0, checks and counts every answer
// (request id, each value its key's, memcached's layout), times it, and drops it.
// Construction loads and attaches; destruction detaches (in the client namespace).
#pragma once

#include <netext/loader/object.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "testbed.hpp"

namespace netext::bench {

struct GenConfig {
	uint32_t keys_per_get = 1;  // 1..32
	uint32_t key_space = 10000; // N stored keys (k0000000 ..); misses come from N..2N-1
	double zipf = 0;	    // 0: uniform, else the Zipf exponent (e.g. 0.99)
	double miss_ratio = 0.05;   // share of keys drawn from keys never stored
	unsigned cpu = 0;	    // the CPU the generating thread runs on
};

// Counters of the sink (answers) and the generator, as totals since load.
struct GenCounters {
	uint64_t sent = 0;	 // requests written by mcgen
	uint64_t answers = 0;	 // complete answers ("END")
	uint64_t values = 0;	 // values received and checked (key hits)
	uint64_t bad_format = 0; // datagrams not in memcached's layout
	uint64_t bad_value = 0;	 // a value that is not its key's
	uint64_t bad_id = 0;	 // a value its request (by id) did not ask for
	uint64_t datagrams = 0;
	uint64_t lat_sum_ns = 0;
	uint64_t late = 0; // answer datagrams to an earlier use of their request id (not errors)
	std::vector<uint64_t> latency_us; // histogram, 1 us buckets (the last: all beyond)
	GenCounters operator-(const GenCounters &o) const;
	[[nodiscard]] uint64_t errors() const { return bad_format + bad_value + bad_id; }
	// p-quantile (0..1) of the answers' latency in microseconds (0 without answers).
	[[nodiscard]] double latency_quantile_us(double p) const;
};

struct GenRun {
	double seconds = 0;
	uint64_t offered = 0; // frames the generator sent (test runs' repeat summed)
	double gen_cpu_s = 0; // CPU time of the generating thread
	GenCounters delta;    // sink and generator counters over the run
	[[nodiscard]] double offered_pps() const { return offered / seconds; }
	[[nodiscard]] double answered_pps() const { return delta.answers / seconds; }
};

class LineGen {
public:
	// Loads mcgen.bpf.o, writes the frame template and the key distribution, attaches
	// mcsink to the client's eth0 (native XDP). Throws netext::Error naming the cause.
	LineGen(const netext::testing::Testbed &tb, const GenConfig &cfg);
	~LineGen();
	LineGen(const LineGen &) = delete;
	LineGen &operator=(const LineGen &) = delete;

	// Sends for `seconds` at `rate` requests/s (0: as fast as it can), on cfg.cpu.
	// Bounded: returns after the duration even if the kernel is slower than asked.
	GenRun run(double seconds, double rate = 0);
	[[nodiscard]] GenCounters counters() const;
	[[nodiscard]] const GenConfig &config() const noexcept { return cfg_; }
	[[nodiscard]] uint32_t frame_len() const noexcept
	{
		return static_cast<uint32_t>(frame_.size());
	}
	[[nodiscard]] int sink_prog_fd() const;
	[[nodiscard]] int gen_prog_fd() const;
	// An XDP program that drops everything (the server end's sink in --app sink).
	[[nodiscard]] int drop_prog_fd() const;

	// The key string of index i ("k%07x") and its value (the key four times).
	static std::string key(uint32_t i);
	static std::string value(uint32_t i);
	static constexpr uint32_t kValueSize = 32;

private:
	std::string ns_;
	GenConfig cfg_;
	loader::BpfObject obj_;
	int ifindex_ = 0;
	std::vector<uint8_t> frame_;
};

// Stores every key 0..n-1 (its value: LineGen::value) in the testbed's memcached over one
// TCP connection (pipelined, noreply), then checks one of them with a get.
void store_keys(const netext::testing::Testbed &tb, uint32_t n);

} // namespace netext::bench
