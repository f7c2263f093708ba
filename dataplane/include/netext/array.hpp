// netext::array<T, N>: a fixed array usable inside packet headers and map values.
// Unlike a raw C array it is visible to the NoRef reflection, and indexing is checked.
#pragma once

#include <cstddef>
#include <cstdint>

#include <netext/noref.hpp>

namespace netext {

template <class T, std::size_t N>
struct array {
	static_assert(N > 0);
	T elems[N]; // NOLINT(modernize-avoid-c-arrays): the SDK's one raw array

	static constexpr std::size_t size() noexcept { return N; }

	// Compile-time index: cannot be out of bounds.
	template <std::size_t I>
	constexpr T &get() noexcept
	{
		static_assert(I < N, "netext::array index out of bounds");
		return elems[I];
	}
	template <std::size_t I>
	constexpr const T &get() const noexcept
	{
		static_assert(I < N, "netext::array index out of bounds");
		return elems[I];
	}
	// Run-time index: an out-of-range index yields the fallback, never another object.
	constexpr T at_or(std::size_t i, T fallback) const noexcept
	{
		return i < N ? elems[i] : fallback;
	}
	// Run-time store: ignored (returns false) when out of range.
	constexpr bool set(std::size_t i, T v) noexcept
	{
		if (i >= N)
			return false;
		elems[i] = v;
		return true;
	}

	friend constexpr bool operator==(const array &a, const array &b) noexcept
	{
		for (std::size_t i = 0; i < N; i++)
			if (!(a.elems[i] == b.elems[i]))
				return false;
		return true;
	}
};

template <class T, std::size_t N>
struct trusted_noref<array<T, N>> : std::bool_constant<detail::noref_impl<T>()> {};

} // namespace netext
