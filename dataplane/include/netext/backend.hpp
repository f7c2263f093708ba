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

#define NETEXT_STRINGIFY_(x) #x
#define NETEXT_STRINGIFY(x)  NETEXT_STRINGIFY_(x)

#ifndef NETEXT_APP_NAME
#define NETEXT_APP_NAME unnamed
#endif
#define NETEXT_APP_NAME_STR NETEXT_STRINGIFY(NETEXT_APP_NAME)
