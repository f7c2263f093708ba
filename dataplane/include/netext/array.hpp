// netext::array<T, N>: a fixed array usable inside packet headers and map values.
// Unlike a raw C array it is visible to the NoRef reflection, its elements are reached
// only through checked accessors (the storage is private), and a subscript is checked.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <netext/backend.hpp>
#include <netext/noref.hpp>
#include <netext/ref.hpp>

namespace netext {

namespace detail {
struct array_access;
}

template <class T, std::size_t N>
class array {
	static_assert(N > 0);
	T elems_[N]; // NOLINT(modernize-avoid-c-arrays): the SDK's one raw array
	friend struct detail::array_access;

	// An index known to be < N, pinned for the verifier (a no-op elsewhere).
	NETEXT_INLINE static constexpr std::size_t checked(std::size_t i) noexcept
	{
#if NETEXT_BACKEND_EBPF
		if (std::is_constant_evaluated() && i >= N)
			detail::bounds_fault(); // not a constant expression: a compile error
		// No trap on eBPF: an index out of range is clamped to the last element, so the
		// access stays inside the array whatever the verifier knows of i.
		if (i >= N)
			i = N - 1;
		NETEXT_BOUNDED(i, kIndexMask);
#else
		if (i >= N) [[unlikely]]
			detail::bounds_fault();
#endif
		return i;
	}

public:
	using value_type = T;

	// Zero-initialised with `{}`, or its first elements given: array<uint8_t, 4> a{1, 2}.
	constexpr array() noexcept = default;
	template <class... U>
		requires(sizeof...(U) > 0 && sizeof...(U) <= N &&
			 (std::is_convertible_v<U, T> && ...))
	constexpr array(U... v) noexcept
		: elems_{static_cast<T>(v)...} // NOLINT(google-explicit-constructor)
	{}

	static constexpr std::size_t size() noexcept
	{
		return N;
	}
	// 2^n - 1 >= N - 1: pins a checked index for the verifier (a no-op on it).
	static constexpr std::size_t kIndexMask = std::bit_ceil(N) - 1;

	// Run-time subscript, checked: natively an index out of range is a fault (the
	// program's fault verdict, counted by netext.ko), on the host a trap, on eBPF (which
	// cannot trap) the last element. In a constant expression, a compile error. For an
	// index that may be out of range use at(), at_or() or set().
	NETEXT_INLINE constexpr T &operator[](std::size_t i) noexcept
	{
		return elems_[checked(i)];
	}
	NETEXT_INLINE constexpr const T &operator[](std::size_t i) const noexcept
	{
		return elems_[checked(i)];
	}

	// The element at i, or empty when i is out of range.
	NETEXT_INLINE constexpr Ref<T> at(std::size_t i) noexcept
	{
		if (i >= N)
			return Ref<T>{};
		NETEXT_BOUNDED(i, kIndexMask);
		return Ref<T>(&elems_[i]);
	}
	NETEXT_INLINE constexpr Ref<const T> at(std::size_t i) const noexcept
	{
		if (i >= N)
			return Ref<const T>{};
		NETEXT_BOUNDED(i, kIndexMask);
		return Ref<const T>(&elems_[i]);
	}

	// Compile-time index: cannot be out of bounds.
	template <std::size_t I>
	constexpr T &get() noexcept
	{
		static_assert(I < N, "netext::array index out of bounds");
		return elems_[I];
	}
	template <std::size_t I>
	constexpr const T &get() const noexcept
	{
		static_assert(I < N, "netext::array index out of bounds");
		return elems_[I];
	}
	// Run-time index: an out-of-range index yields the fallback, never another object.
	NETEXT_INLINE constexpr T at_or(std::size_t i, T fallback) const noexcept
	{
		if (i >= N)
			return fallback;
		NETEXT_BOUNDED(i, kIndexMask); // the check and the access on one register
		return elems_[i];
	}
	// Run-time store: ignored (returns false) when out of range.
	NETEXT_INLINE constexpr bool set(std::size_t i, T v) noexcept
	{
		if (i >= N)
			return false;
		NETEXT_BOUNDED(i, kIndexMask);
		elems_[i] = v;
		return true;
	}

	// Copies a T out of the bytes at [off, off + sizeof(T)), for byte arrays. Mask (2^n - 1)
	// bounds the offsets this call may use, so the eBPF verifier can prove the access
	// inside the array; false (out untouched) for an offset above it. U is Bits (no bool):
	// the bytes may hold any pattern.
	template <Bits U, uint32_t Mask>
	[[nodiscard]] NETEXT_INLINE bool load(uint32_t off, U &out) const noexcept
	{
		static_assert(sizeof(T) == 1, "array::load reads byte arrays");
		static_assert(((uint64_t{Mask} + 1) & Mask) == 0, "Mask must be 2^n - 1");
		static_assert(uint64_t{Mask} + sizeof(U) <= N,
			      "Mask + sizeof(U) must fit in the array");
		if (off > Mask)
			return false;
		NETEXT_BOUNDED(off, Mask);
		__builtin_memcpy(&out, NETEXT_UNALIGNED(&elems_[off], sizeof(U)), sizeof(U));
		return true;
	}

	// Copies `in` into the bytes at [off, off + sizeof(U)), for byte arrays; Mask as for
	// load(). False (nothing written) for an offset above it.
	template <Wire U, uint32_t Mask>
	NETEXT_INLINE bool store(uint32_t off, const U &in) noexcept
	{
		static_assert(sizeof(T) == 1, "array::store writes byte arrays");
		static_assert(((uint64_t{Mask} + 1) & Mask) == 0, "Mask must be 2^n - 1");
		static_assert(uint64_t{Mask} + sizeof(U) <= N,
			      "Mask + sizeof(U) must fit in the array");
		if (off > Mask)
			return false;
		NETEXT_BOUNDED(off, Mask);
		__builtin_memcpy(NETEXT_UNALIGNED(&elems_[off], sizeof(U)), &in, sizeof(U));
		return true;
	}

	friend constexpr bool operator==(const array &a, const array &b) noexcept
	{
		for (std::size_t i = 0; i < N; i++)
			if (!(a.elems_[i] == b.elems_[i]))
				return false;
		return true;
	}
};

template <class T, std::size_t N>
struct trusted_noref<array<T, N>> : std::bool_constant<detail::noref_impl<T>()> {};
template <class T, std::size_t N>
struct sdk_element<array<T, N>> {
	using type = T;
};

namespace detail {
// The SDK's door to an array's storage (bulk copies through kernel helpers and memcpy).
struct array_access {
	template <class T, std::size_t N>
	NETEXT_INLINE static constexpr T *data(array<T, N> &a) noexcept
	{
		return &a.elems_[0];
	}
	template <class T, std::size_t N>
	NETEXT_INLINE static constexpr const T *data(const array<T, N> &a) noexcept
	{
		return &a.elems_[0];
	}
};
} // namespace detail

} // namespace netext
