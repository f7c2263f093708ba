// Ref<T>: a checked handle to a T inside the packet, a map value or an SDK array: empty
// or valid. And the SDK's one failed-check trap.
#pragma once

#include <netext/backend.hpp>

#if NETEXT_BACKEND_NATIVE
#include <netext/native/runtime.hpp>
#endif

namespace netext {

namespace detail {
// A failed run-time check with no value to fall back to (an out-of-range subscript, an
// empty Ref dereferenced). Natively: the landing pad (the program's fault verdict, the
// fault counted, the kernel fine). On the host: the process stops (a test sees it). Never
// on eBPF, where the program cannot trap: the callers there clamp instead, so that the
// verifier sees every access inside its object. Not constexpr: in a constant expression
// a failed check is a compile error. Always inlined: natively an out-of-line copy is a weak
// (COMDAT) symbol, which objtool never takes for noreturn, so it would follow each call to
// it into the next function ("falls through"); inlined, every call ends in fault()'s ud2.
[[noreturn]] [[gnu::always_inline]] inline void bounds_fault() noexcept
{
#if NETEXT_BACKEND_NATIVE
	native::fault(native::Fault::Bounds);
#else
	__builtin_trap();
#endif
}
} // namespace detail

// Not trivially copyable (a user-provided copy): a Ref cannot be made out of bytes
// (std::bit_cast, memcpy into one) or stored in a map or a packet (not NoRef); only the
// SDK makes one, from memory it checked.
template <class T>
class Ref {
	T *p_ = nullptr;

public:
	constexpr Ref() noexcept = default;
	constexpr explicit Ref(T *p) noexcept : p_(p) {}
	NETEXT_INLINE constexpr Ref(const Ref &o) noexcept : p_(o.p_) {}
	// NOLINTNEXTLINE(bugprone-unhandled-self-assignment)
	NETEXT_INLINE constexpr Ref &operator=(const Ref &o) noexcept
	{
		p_ = o.p_;
		return *this;
	}

	constexpr explicit operator bool() const noexcept { return p_ != nullptr; }
#if NETEXT_BACKEND_NATIVE
	// No verifier proves the check was made: dereferencing an empty Ref is a fault.
	constexpr T *operator->() const noexcept
	{
		if (!p_) [[unlikely]]
			detail::bounds_fault();
		return p_;
	}
	constexpr T &operator*() const noexcept
	{
		return *operator->();
	}
#else
	constexpr T *operator->() const noexcept
	{
		return p_;
	}
	constexpr T &operator*() const noexcept
	{
		return *p_;
	}
#endif
	// A copy of the value, or the fallback when empty.
	constexpr T value_or(T fallback) const noexcept
	{
		return p_ ? *p_ : fallback;
	}
};

} // namespace netext
