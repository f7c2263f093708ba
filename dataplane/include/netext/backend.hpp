// Which backend this translation unit is compiled for, and the few macros the SDK needs
// to emit code that the eBPF verifier accepts. Exactly one NETEXT_BACKEND_* is 1.
#pragma once

#if defined(__bpf__)
#define NETEXT_BACKEND_EBPF   1
#define NETEXT_BACKEND_NATIVE 0
#define NETEXT_BACKEND_HOST   0
#elif defined(NETEXT_NATIVE)
#define NETEXT_BACKEND_EBPF   0
#define NETEXT_BACKEND_NATIVE 1
#define NETEXT_BACKEND_HOST   0
#else
#define NETEXT_BACKEND_EBPF   0
#define NETEXT_BACKEND_NATIVE 0
#define NETEXT_BACKEND_HOST   1
#endif

// Everything in the SDK is inlined into the program: eBPF subprograms cost calls and
// lose the verifier's packet-range facts across the call boundary.
#define NETEXT_INLINE [[gnu::always_inline]] inline

// For a variable already checked to be <= mask (a power of two minus one): pins it, so
// arithmetic on it cannot be hoisted above the check, and masks it, so that the register
// the arithmetic uses carries the bound itself. Clang computes `base + off` before testing
// `off`, and may test one register copy and add another; the verifier (Debian's 6.1 above
// all) then sees an unbounded offset. The mask is a no-op on a checked value, and the
// compiler cannot drop it because the barrier hid the value's range. Constants are left
// alone so they keep folding into the access.
#if NETEXT_BACKEND_EBPF
#define NETEXT_BOUNDED(var, mask)                                                                  \
	do {                                                                                       \
		if (!__builtin_constant_p(var)) {                                                  \
			asm volatile("" : "+r"(var));                                              \
			(var) &= (mask);                                                           \
		}                                                                                  \
	} while (0)
#else
#define NETEXT_BOUNDED(var, mask) ((void)0)
#endif

// Copies between a value and packet or map memory at any offset. Clang assumes a byte
// pointer may be unaligned and, for BPF, copies a u64 as 8 byte loads and 14 shifts and
// ors; the kernels netext targets (x86-64, arm64: CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS)
// let eBPF load and store packet and map-value memory unaligned (unless the program is
// loaded with BPF_F_STRICT_ALIGNMENT, which netext never sets), so on eBPF the pointer is
// declared aligned and the copy is one load or store per word. Never for stack memory:
// the verifier requires aligned stack access (and says "misaligned stack access" at load,
// so a misuse cannot pass unnoticed). g++ needs nothing: x86-64 copies unaligned words
// in one move, and an alignment promise there could become an aligned SSE move.
#if NETEXT_BACKEND_EBPF
#define NETEXT_UNALIGNED(p, size)                                                                  \
	__builtin_assume_aligned((p), (size) >= 8 ? 8 : (size) >= 4 ? 4 : (size) >= 2 ? 2 : 1)
#else
#define NETEXT_UNALIGNED(p, size) (p)
#endif

#define NETEXT_STRINGIFY_(x) #x
#define NETEXT_STRINGIFY(x)  NETEXT_STRINGIFY_(x)

#ifndef NETEXT_APP_NAME
#define NETEXT_APP_NAME unnamed
#endif
#define NETEXT_APP_NAME_STR NETEXT_STRINGIFY(NETEXT_APP_NAME)
