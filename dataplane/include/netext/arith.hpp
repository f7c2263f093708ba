// Integer division that cannot fault: netext::div(a, b) and netext::mod(a, b).
//
// A `/` or `%` by a value that is not a constant traps natively (#DE, in softirq) when it
// is 0, and a signed INT_MIN / -1 traps too; netext-check refuses them and its hint
// names these functions. They give eBPF's answers on every backend (the verifier's and
// the BPF ISA's definition of division):
//   div(a, 0) == 0                    mod(a, 0) == a
//   div(INT_MIN, -1) == INT_MIN       mod(INT_MIN, -1) == 0     (signed: no trap)
// Otherwise they are C's `a / b` and `a % b`: the result has the type `a / b` has (the
// usual arithmetic conversions, so int for small types), the quotient is truncated
// toward zero and the remainder has the sign of the dividend.
//
// Signed operands are divided as magnitudes in the unsigned type (the BPF target before
// cpu v4, which netext builds for, has no signed division), then given their sign back.
#pragma once

#include <concepts>
#include <type_traits>

#include <netext/backend.hpp>

namespace netext {

template <class T>
concept DivOperand = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

namespace detail {

template <DivOperand A, DivOperand B>
using DivResult = decltype(A{} / B{});

// |v| as the unsigned type of the same width (defined for the most negative value too).
template <std::integral T>
NETEXT_INLINE constexpr std::make_unsigned_t<T> magnitude(T v) noexcept
{
	using U = std::make_unsigned_t<T>;
	if constexpr (std::is_signed_v<T>)
		return v < 0 ? static_cast<U>(U{0} - static_cast<U>(v)) : static_cast<U>(v);
	else
		return v;
}

} // namespace detail

// a / b, with div(a, 0) == 0 and div(INT_MIN, -1) == INT_MIN.
template <DivOperand A, DivOperand B>
[[nodiscard]] NETEXT_INLINE constexpr detail::DivResult<A, B> div(A a, B b) noexcept
{
	using R = detail::DivResult<A, B>;
	using U = std::make_unsigned_t<R>;
	const R x = static_cast<R>(a);
	const R y = static_cast<R>(b);
	if (y == 0)
		return 0;
	if constexpr (std::is_signed_v<R>) {
		const U q = static_cast<U>(detail::magnitude(x) / detail::magnitude(y));
		// modular conversion (C++20): -2^(N-1) stays itself, as BPF's sdiv gives
		return static_cast<R>((x < 0) != (y < 0) ? static_cast<U>(U{0} - q) : q);
	} else {
		return static_cast<R>(x / y);
	}
}

// a % b, with mod(a, 0) == a and mod(INT_MIN, -1) == 0.
template <DivOperand A, DivOperand B>
[[nodiscard]] NETEXT_INLINE constexpr detail::DivResult<A, B> mod(A a, B b) noexcept
{
	using R = detail::DivResult<A, B>;
	using U = std::make_unsigned_t<R>;
	const R x = static_cast<R>(a);
	const R y = static_cast<R>(b);
	if (y == 0)
		return x;
	if constexpr (std::is_signed_v<R>) {
		const U r = static_cast<U>(detail::magnitude(x) % detail::magnitude(y));
		return static_cast<R>(x < 0 ? static_cast<U>(U{0} - r) : r);
	} else {
		return static_cast<R>(x % y);
	}
}

} // namespace netext
