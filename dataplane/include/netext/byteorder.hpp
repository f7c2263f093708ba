// Network byte order as types. be16/be32/be64 hold big-endian values; the only ways in
// and out are explicit (from_host / host / from_raw / raw), so comparing or assigning a
// host-order integer to a wire field does not compile.
#pragma once

#include <cstdint>
#include <type_traits>

#include <netext/noref.hpp>

namespace netext {

namespace detail {
template <class T>
constexpr T byteswap(T v) noexcept
{
	if constexpr (sizeof(T) == 1)
		return v;
	else if constexpr (sizeof(T) == 2)
		return static_cast<T>(__builtin_bswap16(v));
	else if constexpr (sizeof(T) == 4)
		return static_cast<T>(__builtin_bswap32(v));
	else
		return static_cast<T>(__builtin_bswap64(v));
}
} // namespace detail

template <class T>
class big_endian {
	static_assert(std::is_unsigned_v<T>);
	T raw_;

	struct raw_tag {};
	constexpr big_endian(raw_tag /*unused*/, T raw) noexcept : raw_(raw) {}

public:
	using host_type = T;

	big_endian() = default;
	// The only conversions: named, so the reader sees which order a value is in.
	static constexpr big_endian from_host(T v) noexcept
	{
		return {raw_tag{}, detail::byteswap(v)};
	}
	static constexpr big_endian from_raw(T raw) noexcept { return {raw_tag{}, raw}; }
	[[nodiscard]] constexpr T host() const noexcept { return detail::byteswap(raw_); }
	[[nodiscard]] constexpr T raw() const noexcept { return raw_; }

	friend constexpr bool operator==(big_endian a, big_endian b) noexcept
	{
		return a.raw_ == b.raw_;
	}
	// Comparing with a host integer is the classic bug; make it a compile error.
	template <class U>
		requires std::is_integral_v<U>
	friend bool operator==(big_endian, U) = delete;
};

using be16 = big_endian<uint16_t>;
using be32 = big_endian<uint32_t>;
using be64 = big_endian<uint64_t>;

template <class T>
struct trusted_noref<big_endian<T>> : std::true_type {};

static_assert(sizeof(be16) == 2);
static_assert(alignof(be16) == 2);
static_assert(sizeof(be32) == 4);
static_assert(alignof(be32) == 4);
static_assert(sizeof(be64) == 8);
static_assert(std::is_trivially_copyable_v<be32>);

constexpr be16 hton16(uint16_t v) noexcept
{
	return be16::from_host(v);
}
constexpr be32 hton32(uint32_t v) noexcept
{
	return be32::from_host(v);
}
constexpr be64 hton64(uint64_t v) noexcept
{
	return be64::from_host(v);
}

namespace literals {
consteval be16 operator""_be16(unsigned long long v)
{
	return be16::from_host(static_cast<uint16_t>(v));
}
consteval be32 operator""_be32(unsigned long long v)
{
	return be32::from_host(static_cast<uint32_t>(v));
}
} // namespace literals

} // namespace netext
