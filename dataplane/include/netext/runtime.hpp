// What a program may ask of its runtime besides the packet: time and atomic operations on
// map values shared between CPUs.
//
// The atomics act on netext::Atomic<T> fields of map values only: a naturally aligned word
// (never across a cache line, so never a split lock, which kernels with split-lock
// detection turn into a die() in kernel mode), that packet memory cannot hold (the eBPF
// verifier refuses atomics on packets; natively the type system does: a Ref into the
// packet is never to a type with an Atomic inside). They are full barriers (BPF's
// fetching atomics and x86's locked instructions both are). atomic_read/atomic_write are
// single untorn accesses, ordered as the CPU orders plain accesses: a seqlock built on
// them (see apps/bmc) relies on x86-64's total store order, where loads are not reordered
// with loads nor stores with stores.
#pragma once

#include <cstdint>
#include <type_traits>

#include <netext/backend.hpp>
#include <netext/noref.hpp>

#if NETEXT_BACKEND_EBPF
#include <netext/ebpf/helpers.hpp>
#elif NETEXT_BACKEND_NATIVE
#include <netext/native/runtime.hpp>
#else
#include <ctime>
#endif

namespace netext {

template <class T>
concept AtomicWord = std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>;

namespace detail {
struct atomic_access;
}

// A 32- or 64-bit word of a map value that CPUs share, reached through the atomic
// operations below (which take nothing else). Zero in a new map value; no conversion to or
// from T, so every access says which it is (atomic_read, atomic_write, ...).
template <AtomicWord T>
class Atomic {
	alignas(sizeof(T)) T v_;
	friend struct detail::atomic_access;

public:
	constexpr Atomic() noexcept = default;
};

template <AtomicWord T>
struct trusted_noref<Atomic<T>> : std::true_type {};
// Map memory only: no Ref into a packet is to a type that holds one (PacketType).
template <AtomicWord T>
struct map_only<Atomic<T>> : std::true_type {};

namespace detail {
// The SDK's door to the word (the atomics, and netext.ko's lock calls).
struct atomic_access {
	template <AtomicWord T>
	NETEXT_INLINE static constexpr T *word(Atomic<T> &a) noexcept
	{
		return &a.v_;
	}
	template <AtomicWord T>
	NETEXT_INLINE static constexpr const T *word(const Atomic<T> &a) noexcept
	{
		return &a.v_;
	}
};
} // namespace detail

#if NETEXT_BACKEND_HOST
namespace detail {
// xorshift64*, per thread: a test runner's stand-in for the kernel's generator.
inline uint32_t host_random_u32() noexcept
{
	thread_local uint64_t x = 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(clock());
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return static_cast<uint32_t>((x * 0x2545f4914f6cdd1dull) >> 32);
}

inline uint64_t host_clock_ns(clockid_t clock) noexcept
{
	timespec ts{};
	clock_gettime(clock, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u +
	       static_cast<uint64_t>(ts.tv_nsec);
}
} // namespace detail
#endif

// Monotonic time in nanoseconds (the kernel's ktime; CLOCK_MONOTONIC on the host).
NETEXT_INLINE uint64_t now_ns() noexcept
{
#if NETEXT_BACKEND_EBPF
	return ebpf::ktime_get_ns();
#elif NETEXT_BACKEND_NATIVE
	return netext_now_ns();
#else
	return detail::host_clock_ns(CLOCK_MONOTONIC);
#endif
}

// The same clock read at tick resolution (the kernel's coarse ktime, 5.11+;
// CLOCK_MONOTONIC_COARSE on the host): a memory read instead of a clock-source read, for
// time stamps that only need to tell milliseconds apart. Two readings may differ from
// the true interval by up to kCoarseResolutionNs (one tick at HZ=100, the lowest).
inline constexpr uint64_t kCoarseResolutionNs = 10'000'000;
NETEXT_INLINE uint64_t coarse_now_ns() noexcept
{
#if NETEXT_BACKEND_EBPF
	return ebpf::ktime_get_coarse_ns();
#elif NETEXT_BACKEND_NATIVE
	return netext_coarse_now_ns();
#else
	return detail::host_clock_ns(CLOCK_MONOTONIC_COARSE);
#endif
}

// The kernel's tick counter (jiffies: on eBPF bpf_jiffies64, which 64-bit JITs inline as
// one load, where a clock read is a helper call), and how long a tick is in nanoseconds:
// for time stamps on a hot path that only need "at least this long ago". A tick count
// that moved by n means at least (n - 1) * tick_ns() nanoseconds passed.
//
// On eBPF tick_ns() is netext_tick_ns in .rodata, which the loader sets from the kernel's
// coarse clock resolution (one tick) before the object loads; an object loaded otherwise
// keeps the shortest tick Linux has (HZ=1000), so that its waits only err long. The host
// counts milliseconds of CLOCK_MONOTONIC.
#if NETEXT_BACKEND_EBPF
extern "C" __attribute__((section(".rodata"), used)) const volatile uint64_t netext_tick_ns =
	1'000'000;
#endif

NETEXT_INLINE uint64_t tick_now() noexcept
{
#if NETEXT_BACKEND_EBPF
	return ebpf::jiffies64();
#elif NETEXT_BACKEND_NATIVE
	return netext_ticks();
#else
	return detail::host_clock_ns(CLOCK_MONOTONIC) / 1'000'000;
#endif
}

NETEXT_INLINE uint64_t tick_ns() noexcept
{
#if NETEXT_BACKEND_EBPF
	return netext_tick_ns;
#elif NETEXT_BACKEND_NATIVE
	return netext_tick_ns();
#else
	return 1'000'000;
#endif
}

// A pseudo-random number (bpf_get_prandom_u32; not for secrets): for sampling, spreading,
// jitter.
NETEXT_INLINE uint32_t random_u32() noexcept
{
#if NETEXT_BACKEND_EBPF
	return ebpf::get_prandom_u32();
#elif NETEXT_BACKEND_NATIVE
	return netext_random_u32();
#else
	return detail::host_random_u32();
#endif
}

// The CPU the program runs on (bpf_get_smp_processor_id): stable for one invocation. Per-CPU
// maps already give this CPU's value; this is for labelling and spreading.
NETEXT_INLINE uint32_t cpu_id() noexcept
{
#if NETEXT_BACKEND_EBPF
	return ebpf::get_smp_processor_id();
#elif NETEXT_BACKEND_NATIVE
	return netext_cpu_id();
#else
	return 0; // the host runner is one CPU
#endif
}

// x += v; returns the old value. (v's type is not deduced: atomic_fetch_add(x, 1) adds
// to an Atomic<uint64_t> too.)
template <AtomicWord T>
NETEXT_INLINE T atomic_fetch_add(Atomic<T> &x, std::type_identity_t<T> v) noexcept
{
	return __sync_fetch_and_add(detail::atomic_access::word(x), v);
}

// If x == expected, x = desired. Returns the old value (== expected on success).
template <AtomicWord T>
NETEXT_INLINE T atomic_cmpxchg(Atomic<T> &x, std::type_identity_t<T> expected,
			       std::type_identity_t<T> desired) noexcept
{
	return __sync_val_compare_and_swap(detail::atomic_access::word(x), expected, desired);
}

template <AtomicWord T>
NETEXT_INLINE T atomic_read(const Atomic<T> &x) noexcept
{
	return *static_cast<const volatile T *>(detail::atomic_access::word(x));
}

template <AtomicWord T>
NETEXT_INLINE void atomic_write(Atomic<T> &x, std::type_identity_t<T> v) noexcept
{
	*static_cast<volatile T *>(detail::atomic_access::word(x)) = v;
}

// A lock an app builds in a map value: a uint32_t, odd while a CPU holds it, never waited
// for (a CPU that finds it held does something else). try_lock takes it if it is free;
// unlock releases it. Natively, netext.ko records the hold in the same call: if the
// program faults (or returns) before unlock, the landing pad releases the lock, so a fault
// never leaves it held in a pinned map. What it guards may then be half-written: make that
// visible to readers first (e.g. clear a "valid" field right after taking the lock).
NETEXT_INLINE bool try_lock(Atomic<uint32_t> &word) noexcept
{
#if NETEXT_BACKEND_NATIVE
	return netext_trylock(detail::atomic_access::word(word));
#else
	uint32_t v = atomic_read(word);
	return (v & 1) == 0 && atomic_cmpxchg(word, v, v + 1) == v;
#endif
}

NETEXT_INLINE void unlock(Atomic<uint32_t> &word) noexcept
{
#if NETEXT_BACKEND_NATIVE
	netext_unlock(detail::atomic_access::word(word));
#else
	atomic_fetch_add(word, 1u);
#endif
}

#if NETEXT_BACKEND_EBPF
namespace detail {
// Never written: 0 at run time, and unknown to the verifier (a .bss map value).
[[maybe_unused]] static volatile uint32_t opaque_zero;
} // namespace detail
#endif

// v, hidden from the verifier's value tracking. For loop state that starts at a constant
// and changes from step to step: kernels before 6.7 (Debian 12's 6.1) check a bpf_loop
// step once, with the state as it was at the call, and take a branch on such a field
// ("len is odd", "a key missed") for dead code. Start such fields at opaque(0) / opaque(false).
template <class T>
	requires std::is_integral_v<T> NETEXT_INLINE T opaque(T v)
noexcept
{
#if NETEXT_BACKEND_EBPF
	return static_cast<T>(v | static_cast<T>(detail::opaque_zero));
#else
	return v;
#endif
}

// Calls Step(i, st) for i = 0, 1, ... n - 1, stopping early when it returns non-zero (or
// true); returns the number of calls. Step is a function named as a template argument,
// `long step(uint64_t index, State &st)` or `bool step(...)`, so the app holds no function
// pointer and no void *: netext-check accepts `loop<step>(n, st)` (and only there a
// function as a template argument). On eBPF this is bpf_loop: the verifier checks the step
// once, whatever n, where a plain loop is checked once per trip. State fields that change
// between steps and are branched on must start unknown to the verifier: see opaque().
template <class State, auto Step>
concept LoopStep = requires(uint64_t i, State &st)
{
	static_cast<long>(Step(i, st));
};

#if NETEXT_BACKEND_EBPF
namespace detail {
// What bpf_loop calls: a static, not inlined subprogram with the helper's signature. The
// result is made 0 or 1, the only values the verifier accepts from a callback.
template <auto Step, class State>
[[gnu::noinline]] static long loop_step(uint64_t index, void *state) noexcept
{
	return Step(index, *static_cast<State *>(state)) ? 1 : 0;
}
} // namespace detail
#endif

template <auto Step, class State>
	requires LoopStep<State, Step> NETEXT_INLINE uint32_t loop(uint32_t n, State &st)
noexcept
{
#if NETEXT_BACKEND_EBPF
	return static_cast<uint32_t>(ebpf::loop(n, &detail::loop_step<Step, State>, &st));
#else
	for (uint32_t i = 0; i < n; i++)
		if (Step(i, st))
			return i + 1;
	return n;
#endif
}

} // namespace netext
