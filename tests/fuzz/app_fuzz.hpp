// Shared by the app-level fuzz targets (bmc_fuzz.cpp, lb_fuzz.cpp) and their seed writer
// (app_seeds.cpp): the input reader, the ops each target decodes, a virtual clock, and the
// check that aborts with the invariant's name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace netext::fuzz {

// The fuzzer's bytes read front to back; past the end every read is 0, so any prefix of an
// input is an input (libFuzzer's truncations keep their meaning).
class Reader {
public:
	Reader(const uint8_t *p, std::size_t n) : p_(p), n_(n) {}
	[[nodiscard]] bool done() const { return i_ >= n_; }
	uint8_t u8() { return i_ < n_ ? p_[i_++] : 0; }
	uint16_t u16() { return static_cast<uint16_t>(u8() | u8() << 8); }
	uint32_t u32() { return static_cast<uint32_t>(u16() | static_cast<uint32_t>(u16()) << 16); }
	std::string bytes(std::size_t len)
	{
		std::string s;
		for (std::size_t k = 0; k < len && i_ < n_; k++)
			s.push_back(static_cast<char>(p_[i_++]));
		return s;
	}

private:
	const uint8_t *p_;
	std::size_t n_;
	std::size_t i_ = 0;
};

// The writer the seed generator uses: the same encoding, forwards.
struct Writer {
	std::vector<uint8_t> out;
	Writer &u8(unsigned v)
	{
		out.push_back(static_cast<uint8_t>(v));
		return *this;
	}
	Writer &u16(unsigned v) { return u8(v & 0xff).u8(v >> 8); }
	Writer &u32(uint32_t v) { return u16(v & 0xffff).u16(v >> 16); }
	Writer &bytes(const std::string &s)
	{
		out.insert(out.end(), s.begin(), s.end());
		return *this;
	}
};

// ---- BMC ops (bmc_fuzz.cpp decodes them; see there) --------------------------------------
namespace bmcop {
enum : uint8_t {
	UdpGet = 0,   // client, encap/cpu, flags (bit 0 gets, bits 1-2 request id), nkeys, keys
	UdpCmd = 1,   // client, encap/cpu, request id, command
	TcpOpen = 2,  // endpoint, flags (bit 0: memcached's SYN-ACK not seen by BMC), isn u16
	TcpCmd = 3,   // endpoint, command (appended to the connection's stream, not sent)
	TcpSend = 4,  // endpoint, encap/cpu, length u16: the next bytes of the stream
	TcpOdd = 5,   // endpoint, kind (0 retransmit, 1 gap), distance, length u16
	Process = 6,  // which: memcached runs the head of one of its pending streams
	Advance = 7,  // how far: time moves on (pending requests past their grace run first)
	Garbage = 8,  // mode, length, bytes: a packet memcached's model does not see
	Fragment = 9, // client, flags (bit 0 second fragment first, bit 1 second lost), cmd
	kOps = 10,
};
// Commands (the generator in bmc_fuzz.cpp): kind, key, then kind-specific bytes.
enum : uint8_t {
	Set = 0,
	Add = 1,
	Replace = 2,
	Append = 3,
	Prepend = 4,
	Cas = 5,
	Delete = 6,
	Incr = 7,
	Decr = 8,
	Touch = 9,
	GetOrFlush = 10, // get/gets (keys), or flush_all
	RawLine = 11,
	kCmds = 12,
};
} // namespace bmcop

// ---- LB ops (lb_fuzz.cpp) ----------------------------------------------------------------
namespace lbop {
enum : uint8_t {
	AddVip = 0,	// vip
	DelVip = 1,	// vip
	AddBackend = 2, // vip, backend, weight
	DelBackend = 3, // vip, backend
	Drain = 4,	// vip, backend
	Packet = 5,	// vip-ish target, flow, kind, encap, cpu
	IcmpTooBig = 6, // vip, flow, v4/v6
	Garbage = 7,	// length, bytes
	Mutant = 8,	// target, flow, position, byte: a VIP packet with one byte changed
	kOps = 9,
};
} // namespace lbop

// The virtual clock the targets run the apps on (bmc_fuzz: tick_now() and the coarse
// clock read it through clock_gettime, which the target defines while a program runs).
inline uint64_t g_now_ns = 1'000'000'000'000ull;
inline bool g_virtual_clock = false;

[[noreturn]] inline void fail(const char *what, const std::string &detail = "")
{
	std::fprintf(stderr, "invariant broken: %s%s%s\n", what, detail.empty() ? "" : ": ",
		     detail.c_str());
	std::abort();
}

inline void check(bool ok, const char *what, const std::string &detail = "")
{
	if (!ok)
		fail(what, detail);
}

} // namespace netext::fuzz

#if defined(__clang__) // (GCC, which builds the seed writer, cannot parse __has_feature)
#if __has_feature(address_sanitizer)
// ASan's defaults for the targets (ASAN_OPTIONS overrides them): no allocation stacks kept
// (recording one per malloc cost a tenth of the time; rerun a report's input with
// ASAN_OPTIONS=malloc_context_size=30 to get them) and a 16 MiB quarantine (freed memory is
// reused after 16 MiB of other frees, not 256: most of a run's page faults went).
extern "C" const char *__asan_default_options() // NOLINT(readability-identifier-naming)
{
	return "malloc_context_size=0:quarantine_size_mb=16";
}
#endif
#endif
