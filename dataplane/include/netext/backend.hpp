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

#define NETEXT_STRINGIFY_(x) #x
#define NETEXT_STRINGIFY(x)  NETEXT_STRINGIFY_(x)

#ifndef NETEXT_APP_NAME
#define NETEXT_APP_NAME unnamed
#endif
#define NETEXT_APP_NAME_STR NETEXT_STRINGIFY(NETEXT_APP_NAME)
