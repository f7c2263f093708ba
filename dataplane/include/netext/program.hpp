// Program declaration macros.
//
//   NETEXT_XDP(count_packets) { ... return netext::XdpAction::Pass; }
//   NETEXT_TC(mark_egress)   { ... return netext::TcAction::Ok; }
//
// The body receives `ctx` (XdpContext& / TcContext&) and must return that hook's verdict
// type. For eBPF this emits an extern "C" entry point in section "xdp" / "tc"; on the host
// it registers the program with the host runner under the app's name; natively it emits an
// extern "C" entry taking netext.ko's context and a registration record
// (netext_prog_rec_<name>) that the generated module glue registers with netext.ko.
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
// tc: the body is a BPF global function (name_run), verified once, that the entry calls
// again after a pull it asked for (TcContext::pull).
#define NETEXT_TC(name)                                                                            \
	NETEXT_INLINE static ::netext::TcAction name##_body(                                       \
		[[maybe_unused]] ::netext::TcContext &ctx);                                        \
	extern "C" __attribute__((noinline, used)) int name##_run(__sk_buff *raw, uint32_t pulled) \
	{                                                                                          \
		/* used, even by a body that never asks: clang passes no value for an unused */    \
		/* argument, and the verifier refuses the call ("R2 is not a scalar") */           \
		asm volatile("" ::"r"(pulled));                                                    \
		::netext::TcContext ctx{raw, pulled != 0};                                         \
		return static_cast<int>(name##_body(ctx));                                         \
	}                                                                                          \
	extern "C" __attribute__((section("tc"), used)) int name(__sk_buff *raw)                   \
	{                                                                                          \
		return ::netext::detail::TcEntry::run(raw, &name##_run);                           \
	}                                                                                          \
	NETEXT_INLINE static ::netext::TcAction name##_body(                                       \
		[[maybe_unused]] ::netext::TcContext &ctx)

// A part of a program the eBPF verifier checks once, on its own, with only what `args`
// says (a BPF global function): what follows the parse in a big program, so that every
// parser path does not multiply its cost. Args is a NoRef struct of integers (offsets,
// flags); the function re-checks every offset it uses, as all packet access does.
//
//   struct GetArgs { uint32_t l4_off; uint32_t end; };
//   NETEXT_XDP_FUNCTION(serve, GetArgs) { ... return XdpAction::Tx; }
//   ... return serve(ctx, GetArgs{info.l4info.off, info.l3_end});
#define NETEXT_FUNCTION_(name, Ctx, Action, Raw, Args, Fallback)                                   \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] Ctx &ctx, const Args &args);      \
	extern "C" __attribute__((noinline, used)) int name##_fn(Raw *raw, const Args *args)       \
	{                                                                                          \
		if (!args)                                                                         \
			return static_cast<int>(Fallback);                                         \
		Ctx ctx{raw};                                                                      \
		return static_cast<int>(name##_body(ctx, *args));                                  \
	}                                                                                          \
	NETEXT_INLINE static Action name(Ctx &ctx, const Args &args)                               \
	{                                                                                          \
		return static_cast<Action>(name##_fn(ctx.raw(), &args));                           \
	}                                                                                          \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] Ctx &ctx, const Args &args)

#define NETEXT_XDP_FUNCTION(name, Args)                                                            \
	NETEXT_FUNCTION_(name, ::netext::XdpContext, ::netext::XdpAction, xdp_md, Args,            \
			 ::netext::XdpAction::Pass)
#define NETEXT_TC_FUNCTION(name, Args)                                                             \
	NETEXT_FUNCTION_(name, ::netext::TcContext, ::netext::TcAction, __sk_buff, Args,           \
			 ::netext::TcAction::Ok)

// The kernel needs a license for GPL-only helpers; every netext extension is GPL.
#define NETEXT_LICENSE_DEFINITION                                                                  \
	extern "C" __attribute__((section("license"), used)) const char _license[] = "GPL";

#elif NETEXT_BACKEND_NATIVE

#include <netext/native/runtime.hpp>

// The record is declared extern "C" first (its symbol is what the glue looks for), then
// defined constinit: a kernel module runs no static constructors.
#define NETEXT_PROGRAM_(name, hook, CtxType, Action)                                               \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] CtxType &ctx);                    \
	extern "C" int netext_entry_##name(::netext::native::Ctx *raw);                            \
	int netext_entry_##name(::netext::native::Ctx *raw)                                        \
	{                                                                                          \
		CtxType ctx{raw};                                                                  \
		return static_cast<int>(name##_body(ctx));                                         \
	}                                                                                          \
	extern "C" const ::netext::native::ProgDesc netext_prog_rec_##name;                        \
	[[gnu::used]] constinit const ::netext::native::ProgDesc netext_prog_rec_##name{           \
		#name, hook, &netext_entry_##name, 0, 0};                                          \
	NETEXT_INLINE static Action name##_body([[maybe_unused]] CtxType &ctx)

#define NETEXT_XDP(name)                                                                           \
	NETEXT_PROGRAM_(name, ::netext::native::kHookXdp, ::netext::XdpContext, ::netext::XdpAction)
// tc: the body is its own function, called again after a pull it asked for
// (TcContext::pull).
#define NETEXT_TC(name)                                                                            \
	static ::netext::TcAction name##_body([[maybe_unused]] ::netext::TcContext &ctx);          \
	static int name##_run(::netext::native::Ctx *raw, bool pulled)                             \
	{                                                                                          \
		::netext::TcContext ctx{raw, pulled};                                              \
		return static_cast<int>(name##_body(ctx));                                         \
	}                                                                                          \
	extern "C" int netext_entry_##name(::netext::native::Ctx *raw);                            \
	int netext_entry_##name(::netext::native::Ctx *raw)                                        \
	{                                                                                          \
		return ::netext::detail::TcEntry::run(raw, &name##_run);                           \
	}                                                                                          \
	extern "C" const ::netext::native::ProgDesc netext_prog_rec_##name;                        \
	[[gnu::used]] constinit const ::netext::native::ProgDesc netext_prog_rec_##name{           \
		#name, ::netext::native::kHookTc, &netext_entry_##name, 0, 0};                     \
	static ::netext::TcAction name##_body([[maybe_unused]] ::netext::TcContext &ctx)
// No verifier: a plain function.
#define NETEXT_XDP_FUNCTION(name, Args)                                                            \
	static ::netext::XdpAction name([[maybe_unused]] ::netext::XdpContext &ctx,                \
					const Args &args)
#define NETEXT_TC_FUNCTION(name, Args)                                                             \
	static ::netext::TcAction name([[maybe_unused]] ::netext::TcContext &ctx, const Args &args)
// The module glue declares the license.
#define NETEXT_LICENSE_DEFINITION

#else

#include <netext/host/runtime.hpp>

#define NETEXT_PROGRAM_(name, Ctx, Action)                                                         \
	static Action name([[maybe_unused]] Ctx &ctx);                                             \
	static const ::netext::host::ProgramRegistration name##_registration{NETEXT_APP_NAME_STR,  \
									     #name, &name};        \
	static Action name([[maybe_unused]] Ctx &ctx)

#define NETEXT_XDP(name) NETEXT_PROGRAM_(name, ::netext::XdpContext, ::netext::XdpAction)
#define NETEXT_XDP_FUNCTION(name, Args)                                                            \
	static ::netext::XdpAction name([[maybe_unused]] ::netext::XdpContext &ctx,                \
					const Args &args)
#define NETEXT_TC_FUNCTION(name, Args)                                                             \
	static ::netext::TcAction name([[maybe_unused]] ::netext::TcContext &ctx, const Args &args)
// tc: the registered function is the entry, which runs the body again after a pull it
// asked for (TcContext::pull), as on the kernel backends.
#define NETEXT_TC(name)                                                                            \
	static ::netext::TcAction name##_body([[maybe_unused]] ::netext::TcContext &ctx);          \
	static int name##_run(::netext::host::Frame *raw, bool pulled)                             \
	{                                                                                          \
		::netext::TcContext ctx{raw, pulled};                                              \
		return static_cast<int>(name##_body(ctx));                                         \
	}                                                                                          \
	static ::netext::TcAction name(::netext::TcContext &ctx)                                   \
	{                                                                                          \
		return static_cast<::netext::TcAction>(::netext::detail::TcEntry::run(             \
			::netext::detail::TcEntry::frame(ctx), &name##_run));                      \
	}                                                                                          \
	static const ::netext::host::ProgramRegistration name##_registration{NETEXT_APP_NAME_STR,  \
									     #name, &name};        \
	static ::netext::TcAction name##_body([[maybe_unused]] ::netext::TcContext &ctx)
#define NETEXT_LICENSE_DEFINITION

#endif
