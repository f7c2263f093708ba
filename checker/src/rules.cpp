#include "rules.hpp"

#include <iterator>

namespace netext::check {

namespace {

const Rule kRules[] = {
	{"raw-pointer",
	 "raw pointer types (also behind aliases, auto and template arguments), taking "
	 "addresses, dereferencing or calling for a raw pointer",
	 "use netext::PacketView for packet bytes, netext::Ref<T> from map lookups and "
	 "PacketView::get<T>(), and references for parameters"},
	{"pointer-arithmetic", "pointer arithmetic: p + n, p - q, ++p, p[i] on a pointer",
	 "address packet bytes by offset (PacketView::load/store/get<T>(off)) and arrays by "
	 "index (netext::Array, std::array or a fixed-size array)"},
	{"reinterpret-cast", "reinterpret_cast",
	 "read packet bytes with PacketView::load/get<T>(); reinterpret a value with "
	 "std::bit_cast between same-size value types"},
	{"const-cast", "const_cast", "take a non-const reference where you modify, or copy"},
	{"c-style-cast",
	 "C-style casts (T)x other than (void)x, and functional casts T(x) that convert "
	 "pointers",
	 "static_cast<T>(x) between arithmetic or enum types, or T{x}"},
	{"pointer-static-cast", "static_cast to, from or between pointers, and downcasts",
	 "work on values and references; no conversion of pointers is needed"},
	{"union", "unions (also anonymous ones)",
	 "std::bit_cast to view a value as another type, or separate fields"},
	{"inline-asm", "inline and file-scope asm",
	 "the SDK wraps the few places that need asm (NETEXT_BOUNDED)"},
	{"goto", "goto, computed goto and label addresses",
	 "structured control flow: break, continue, return, or a helper function"},
	{"dynamic-alloc",
	 "new, delete, placement new, operator new/delete, malloc/calloc/realloc/free, "
	 "alloca, make_unique/make_shared",
	 "keep state in NETEXT_MAP maps (Hash, Array, PerCpuArray, LRU maps) or on the "
	 "stack"},
	{"volatile", "volatile objects, fields, parameters, aliases and casts",
	 "configuration knobs: NETEXT_CONFIG; shared state: maps"},
	{"c-varargs", "C variadic functions (declared, called, va_list/va_arg)",
	 "a variadic template or overloads"},
	{"function-pointer",
	 "function pointers and references, member pointers, functions used as values or "
	 "as template arguments (except netext::loop<step>)",
	 "call functions directly; pass a lambda to a template (the call is resolved at "
	 "compile time); for bpf_loop-style loops, netext::loop<step>(n, state)"},
	{"virtual-function", "virtual functions and virtual bases",
	 "static polymorphism: templates and concepts, or a switch over an enum"},
	{"indirect-call", "calls through pointers, member pointers, virtual calls, std::function",
	 "call the function directly; dispatch with switch or if constexpr"},
	{"recursion",
	 "direct or mutual recursion among the app's functions, instantiations and lambdas",
	 "a bounded loop with an explicit fixed-size stack (an array)"},
	{"mutable-global",
	 "mutable namespace-scope, static member and static local variables that are not "
	 "SDK maps or knobs",
	 "state in a NETEXT_MAP, configuration in NETEXT_CONFIG; const and constexpr "
	 "tables are fine"},
	{"global-init",
	 "namespace-scope and static member variables that are neither constexpr nor constinit "
	 "(a const global Clang evaluates may be a static constructor for g++, never run in a "
	 "kernel module)",
	 "declare constant tables constexpr (or constinit)"},
	{"thread-local", "thread_local variables",
	 "per-CPU state in a PerCpuArray or PerCpuHash map"},
	{"builtin",
	 "compiler builtins (__builtin_*, __sync_*, __atomic_*, library builtins such as "
	 "memcpy) outside the allow-list: __builtin_expect, "
	 "__builtin_expect_with_probability, __builtin_bswap16/32/64, __builtin_popcount*",
	 "<bit> (std::popcount, std::countl_zero, std::bit_cast), netext/byteorder.hpp, "
	 "NETEXT_BOUNDED; map updates are atomic per entry"},
	{"linkage-attribute",
	 "attributes that place or name symbols or run code outside a program: section, "
	 "alias, ifunc, weak, weakref, visibility, used, retain, constructor, destructor, "
	 "init_priority, cleanup, naked, asm labels",
	 "NETEXT_XDP/NETEXT_TC/NETEXT_MAP/NETEXT_CONFIG place every symbol; noinline, "
	 "always_inline, maybe_unused and the like are fine"},
	{"forbidden-include",
	 "#include of anything but SDK headers, the app's own directory and <cstdint> "
	 "<cstddef> <climits> <type_traits> <limits> <bit> <concepts> <utility> <array> "
	 "<compare> <initializer_list> <version>",
	 "the SDK headers (<netext/...>) provide what a data-plane program needs"},
	{"guard-escape",
	 "ending a scoped guard early or making it outlive its scope: std::launder, explicit "
	 "destructor calls, std::bit_cast to pointers, copying, moving, swapping or "
	 "assigning a guard, guards in fields, return values, by-value parameters or "
	 "static storage",
	 "keep the guard a local of the scope it protects; pass it on by reference"},
	{"exceptions", "throw and try", "return a verdict or an error value"},
	{"rtti", "dynamic_cast and typeid", "static types; a tag field and a switch"},
	{"not-allowed",
	 "any declaration, statement, expression, type or conversion whose Clang kind is not on "
	 "the allow-list (netext-check --list-allowed prints it, each entry with its reason)",
	 "write it with the constructs on the allow-list; if a safe construct is missing, it "
	 "is added to the list with the reason it is safe"},
	{"floating-point", "floating-point types, constants and conversions",
	 "fixed-point integers (scaled values); the kernel does not save FPU state for programs"},
	{"attribute",
	 "attributes outside the allow-list (noinline, always_inline, maybe_unused, unused, "
	 "nodiscard, warn_unused_result, likely, unlikely, fallthrough, const, pure, cold, "
	 "deprecated, aligned, packed, final, override, constinit, lifetimebound), also those "
	 "Clang ignores but GCC obeys (target, optimize...) and __declspec",
	 "drop it: code generation (target ISA, optimisation, stack protection) is the "
	 "toolchain's, the same for every app"},
	{"pragma",
	 "#pragma and _Pragma other than #pragma once (GCC optimize/target/push_options, "
	 "clang diagnostic, system_header...)",
	 "drop it: the toolchain sets how apps are compiled"},
	{"preprocessor",
	 "defining or undefining keywords, reserved names (__x, _X) and NETEXT_/netext_ names; an "
	 "app macro expanded inside an SDK or toolchain header; #line and line markers",
	 "give the app's macros names of its own, and define them after the SDK headers"},
	{"sdk-specialization",
	 "specialising, partially specialising or explicitly instantiating a template of the SDK "
	 "or the toolchain (netext::, std::, boost:: ... e.g. trusted_noref, tuple_size, "
	 "numeric_limits, hash); declaring anything in their namespaces (deduction guides, "
	 "overloads), but the app's own netext::<app> namespace",
	 "declare the app's own types and traits in its own namespace; NoRef is decided by "
	 "the SDK's reflection alone"},
	{"external-declaration",
	 "declaring a function the app does not define (extern, extern \"C\", block-scope "
	 "declarations, prototypes of kernel or library functions, redeclared builtins), extern "
	 "variables, and calls to functions with no definition in the program",
	 "call the SDK: everything a program may reach outside itself goes through it"},
	{"sdk-internal",
	 "naming the SDK's internals: netext::detail, netext::native, netext::ebpf, "
	 "netext::host, names beginning netext_ or __, and the objects NETEXT_MAP, NETEXT_CONFIG, "
	 "NETEXT_XDP and NETEXT_TC generate besides the handle they declare",
	 "use the public SDK: the map or knob through the name you gave the macro"},
	{"bit-cast",
	 "std::bit_cast from or to a type that holds a pointer, reference, view or Ref, or to a "
	 "type not every bit pattern of which is a value (a bool, an enumeration over bool) "
	 "(fields and bases checked recursively)",
	 "std::bit_cast between NoRef value types only, into Bits types (no bool: compare an "
	 "integer with 0); read packet bytes with PacketView"},
	{"reference-member",
	 "reference fields, and fields whose type holds a reference or pointer (a PacketView, a "
	 "Ref, a context, a lambda that captured by reference)",
	 "keep offsets and values in objects; take views and Refs again where they are used"},
	{"global-reference",
	 "globals (also const, constexpr, static members and static locals) whose type holds a "
	 "reference, pointer, view or Ref",
	 "globals hold values (constant tables); state lives in maps"},
	{"lambda-capture",
	 "a lambda capturing by reference ([&], [&x], [this]) that is not passed straight to a "
	 "call: stored in a variable, returned, or passed to a call that returns it",
	 "write the lambda as the argument of the call that uses it (netext::loop, a helper), "
	 "or capture by value"},
	{"subscript",
	 "a[i] on a C array or std::array (also array members, SDK types included) with an "
	 "index that is not a constant inside the array or masked below its size (i & m, m < N)",
	 "netext::array<T, N> and its checked accessors: at(i) (a Ref, empty out of range), "
	 "at_or(i, fallback), set(i, v), or a range-for"},
	{"compiler-macro",
	 "a macro whose value Clang (the checker) and g++ (the native build) may not agree on: in "
	 "#if, #elif, #ifdef, #ifndef, #elifdef, #elifndef and defined(), any name but the app's "
	 "own macros (their bodies checked alike) and the SDK's NETEXT_ macros; compiler queries "
	 "(__has_include, __has_attribute, __has_builtin, __has_cpp_attribute, __has_feature...); "
	 "the compiler's predefined macros (__GNUC__, __clang__, __OPTIMIZE__, __SSE__, "
	 "__cpp_*...) "
	 "anywhere in app code",
	 "branch on the SDK's NETEXT_BACKEND_EBPF / NETEXT_BACKEND_NATIVE / NETEXT_BACKEND_HOST "
	 "(or on macros the app #defines itself): both compilers must see the same code"},
	{"foreign-macro",
	 "expanding, in app code (also inside macro arguments), a macro neither the app nor the "
	 "SDK (NETEXT_*) defines, but the integer limits of <cstdint>/<climits> (INT_MAX, "
	 "UINT32_MAX, UINT64_C...): a toolchain header's macro may differ between Clang's and "
	 "g++'s headers; and a reserved name (__x, _X) in a macro argument that is no macro for "
	 "Clang (g++ or its library may define it: a stringified or pasted argument would "
	 "differ)",
	 "use constexpr values (std::numeric_limits<T>::max(), sizeof, the SDK's constants), the "
	 "SDK's NETEXT_ macros and the app's own macros; never stringify or paste the "
	 "compiler's names"},
	{"alignment",
	 "alignas / __attribute__((aligned(N))) beyond 64 bytes (a cache line), and any "
	 "declaration or type of the app aligned beyond it: g++ realigns the frame of a function "
	 "with an over-aligned local on the kernel's 8-byte-aligned stack, moving the stack "
	 "pointer down by up to the alignment (alignas(65536): 64 KiB past the extension stack)",
	 "align to at most 64 (alignas(64) keeps a value on its own cache line); per-CPU state "
	 "belongs in a PerCpuArray or PerCpuHash map"},
	{"generic-code",
	 "in a template, a generic lambda or a lambda with template parameters: a construct whose "
	 "meaning depends on a template argument and that is unsafe for some argument -- a "
	 "subscript (its array or index dependent), &, unary *, ->, ->*, ++/--, +/- on an operand "
	 "of dependent type, / and % by anything but a non-zero constant, a cast to or from a "
	 "dependent type (but static_cast to a written arithmetic type and T{x}), a member name "
	 "that some SDK or toolchain class uses for a raw pointer (raw, operator->, data...) or a "
	 "reserved one, a call resolved only by argument-dependent lookup, a call of an SDK-"
	 "internal, pointer-yielding or unlisted toolchain function or builtin. Every template "
	 "pattern is checked (both branches of each if constexpr, every overload), since g++ may "
	 "instantiate what Clang did not; instantiations are checked as well",
	 "write the types out (a non-template helper, a lambda with typed parameters), or use "
	 "the SDK's checked accessors (netext::array::at()/set(), PacketView::load/store, "
	 "netext::div/mod), which generic code may call"},
	{"compiler-divergence",
	 "__builtin_constant_p, __builtin_is_constant_evaluated, std::is_constant_evaluated and "
	 "`if consteval`: their value depends on how far each compiler's constant evaluator goes "
	 "(Clang's and g++'s limits differ), so the checker and the native build would compile "
	 "different code",
	 "decide at compile time with constexpr values and if constexpr on them, or at run time "
	 "with an ordinary if"},
	{"division",
	 "integer / and % (also /= and %=) whose divisor is not a non-zero constant, and signed "
	 "division by a constant -1: natively a zero divisor or INT_MIN / -1 traps (#DE) in the "
	 "kernel",
	 "netext::div(a, b) and netext::mod(a, b) (<netext/arith.hpp>): eBPF's answers on every "
	 "backend (div(a, 0) == 0, mod(a, 0) == a, no trap for INT_MIN / -1)"},
	{"uninitialized",
	 "an automatic variable without an initialiser, or default-constructed from a class "
	 "whose fields (recursively) do not all have a default member initialiser (SDK types "
	 "with a constructor count as initialised): its bytes are stale stack memory that can "
	 "reach a packet or a map",
	 "initialise at the declaration: T x{} (zeroes every field), T x = value, or give every "
	 "field of the app's struct a default member initialiser"},
	{"padding",
	 "std::bit_cast from a type with padding bytes (or other bits without a unique value): "
	 "padding is never initialised, whatever initialised the fields",
	 "give the type explicit reserved fields so it has no padding (as the SDK's Wire types "
	 "do), or copy its fields one by one"},
	{"dangling",
	 "references, views and Refs that outlive what they refer to: an app function or lambda "
	 "returning a reference, view or Ref into its own frame (a local, a temporary, a braced "
	 "list); binding a local reference, view or Ref (or a range-for's range) to a temporary "
	 "or to what a call returns from a temporary argument or object; storing one into the "
	 "frame (a local, a by-value parameter, a temporary) into anything not itself a local of "
	 "the same frame: an out-parameter, a field of a by-reference argument or of the object, "
	 "a variable captured by reference, a global (by assignment, a constructor's member "
	 "initialiser, or a call given both, such as std::swap or std::exchange); "
	 "std::initializer_list other than as a parameter",
	 "return values (copies), or Refs and views the SDK gave out (maps, the packet, "
	 "parameters' referents); keep a temporary in a named local before taking a reference "
	 "into it; hand out Refs only into what the caller gave (a reference parameter's "
	 "referent, a map, the packet); pass braced lists straight to a parameter"},
	{"packet-move",
	 "a view, Ref or reference into the packet (or one the program cannot prove is not) made "
	 "before a call that moves the packet (XdpContext::adjust_head/adjust_tail, "
	 "TcContext::change_tail, and app functions or lambdas that call them) and used after "
	 "it (in source order, or anywhere in a loop that contains the call); passing a "
	 "reference into the packet to such a function",
	 "after the call take a new view (ctx.packet()) and new Refs from it; keep offsets, not "
	 "views, across the call"},
	{"unbounded-loop",
	 "(--strict-loops) loops whose trip count is not bounded by a constant or by the "
	 "packet length",
	 "for (i = 0; i < N; ++i) with a constant N, i < view.size(), or a range-for over a "
	 "fixed-size array"},
};

} // namespace

const Rule *find_rule(std::string_view id)
{
	for (const Rule &r : kRules)
		if (r.id == id)
			return &r;
	return nullptr;
}

const Rule *rules_begin()
{
	return std::begin(kRules);
}

const Rule *rules_end()
{
	return std::end(kRules);
}

} // namespace netext::check
