// Program declaration macros.
//
//   NETEXT_XDP(count_packets) { ... return netext::XdpAction::Pass; }
//   NETEXT_TC(mark_egress)   { ... return netext::TcAction::Ok; }
//
// The body receives `ctx` (XdpContext& / TcContext&) and must return that hook's verdict
// type. For eBPF this emits an extern "C" entry point in section "xdp" / "tc"; on the host
// it registers the program with the host runner under the app's name.
#pragma once

#include <netext/backend.hpp>
#include <netext/context.hpp>
#include <netext/verdict.hpp>

#if NETEXT_BACKEND_EBPF

#define NETEXT_PROGRAM_(name, sec, Ctx, Action, Raw)                                               \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] Ctx &ctx);                        \
	extern "C" __attribute__((section(sec), used)) int name(Raw *raw)                          \
	{                                                                                          \
		Ctx ctx{raw};                                                                      \
		return static_cast<int>(name##_body(ctx));                                         \
	}                                                                                          \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] Ctx &ctx)

#define NETEXT_XDP(name)                                                                           \
	NETEXT_PROGRAM_(name, "xdp", ::netext::XdpContext, ::netext::XdpAction, xdp_md)
#define NETEXT_TC(name)                                                                            \
	NETEXT_PROGRAM_(name, "tc", ::netext::TcContext, ::netext::TcAction, __sk_buff)

// The kernel needs a license for GPL-only helpers; every netext extension is GPL.
#define NETEXT_LICENSE_DEFINITION                                                                  \
	extern "C" __attribute__((section("license"), used)) const char _license[] = "GPL";

#else

#include <netext/host/runtime.hpp>

#define NETEXT_PROGRAM_(name, Ctx, Action)                                                         \
	static Action name([[maybe_unused]] Ctx &ctx);                                             \
	static const ::netext::host::ProgramRegistration name##_registration{NETEXT_APP_NAME_STR,  \
									     #name, &name};        \
	static Action name([[maybe_unused]] Ctx &ctx)

#define NETEXT_XDP(name) NETEXT_PROGRAM_(name, ::netext::XdpContext, ::netext::XdpAction)
#define NETEXT_TC(name)	 NETEXT_PROGRAM_(name, ::netext::TcContext, ::netext::TcAction)
#define NETEXT_LICENSE_DEFINITION

#endif
