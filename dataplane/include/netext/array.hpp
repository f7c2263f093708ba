// netext::array<T, N>: a fixed array usable inside packet headers and map values.
// Unlike a raw C array it is visible to the NoRef reflection, and indexing is checked.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include <netext/backend.hpp>
#include <netext/noref.hpp>

namespace netext {

template <class T, std::size_t N>
struct array {
	static_assert(N > 0);
	T elems[N]; // NOLINT(modernize-avoid-c-arrays): the SDK's one raw array

	static constexpr std::size_t size() noexcept { return N; }
	// 2^n - 1 >= N - 1: pins a checked index for the verifier (a no-op on it).
	static constexpr std::size_t kIndexMask = std::bit_ceil(N) - 1;

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
	NETEXT_INLINE constexpr T at_or(std::size_t i, T fallback) const noexcept
	{
		if (i >= N)
			return fallback;
		NETEXT_BOUNDED(i, kIndexMask); // the check and the access on one register
		return elems[i];
	}
	// Run-time store: ignored (returns false) when out of range.
	NETEXT_INLINE constexpr bool set(std::size_t i, T v) noexcept
	{
		if (i >= N)
			return false;
		NETEXT_BOUNDED(i, kIndexMask);
		elems[i] = v;
		return true;
	}

	// Copies a T out of the bytes at [off, off + sizeof(T)), for byte arrays. Mask (2^n - 1)
	// bounds the offsets this call may use, so the eBPF verifier can prove the access
	// inside the array; false (out untouched) for an offset above it.
	template <NoRef U, uint32_t Mask>
	[[nodiscard]] NETEXT_INLINE bool load(uint32_t off, U &out) const noexcept
	{
		static_assert(sizeof(T) == 1, "array::load reads byte arrays");
		static_assert(((Mask + 1) & Mask) == 0, "Mask must be 2^n - 1");
		static_assert(Mask + sizeof(U) <= N, "Mask + sizeof(U) must fit in the array");
		if (off > Mask)
			return false;
		NETEXT_BOUNDED(off, Mask);
		__builtin_memcpy(&out, NETEXT_UNALIGNED(&elems[off], sizeof(U)), sizeof(U));
		return true;
	}

	// Copies `in` into the bytes at [off, off + sizeof(U)), for byte arrays; Mask as for
	// load(). False (nothing written) for an offset above it.
	template <NoRef U, uint32_t Mask>
	NETEXT_INLINE bool store(uint32_t off, const U &in) noexcept
	{
		static_assert(sizeof(T) == 1, "array::store writes byte arrays");
		static_assert(((Mask + 1) & Mask) == 0, "Mask must be 2^n - 1");
		static_assert(Mask + sizeof(U) <= N, "Mask + sizeof(U) must fit in the array");
		if (off > Mask)
			return false;
		NETEXT_BOUNDED(off, Mask);
		__builtin_memcpy(NETEXT_UNALIGNED(&elems[off], sizeof(U)), &in, sizeof(U));
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
