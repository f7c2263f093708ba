// netext::div and netext::mod (issue 19): eBPF's answers where C traps or is undefined
// (a zero divisor, INT_MIN / -1), C's answers everywhere else. Operands go through
// volatile so that the run-time code is tested, not only constant folding; the same
// table is checked at compile time (static_assert) by the host, eBPF and native builds
// of tests/programs/divmod.cpp.
#include <netext/xdp.hpp>

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <type_traits>

namespace {

template <class T>
T opaque(T v)
{
	volatile T x = v;
	return x;
}

template <class T>
void check_signed()
{
	constexpr T lo = std::numeric_limits<T>::min();
	constexpr T hi = std::numeric_limits<T>::max();
	using R = decltype(T{} / T{});
	// int8_t/int16_t are promoted to int, as by `/`, where -lo fits
	const R lo_by_minus_one = sizeof(T) < sizeof(int) ? R(-R(lo)) : R(lo);
	EXPECT_EQ(netext::div(opaque(lo), opaque(T(-1))), lo_by_minus_one);
	EXPECT_EQ(netext::mod(opaque(lo), opaque(T(-1))), R(0));
	EXPECT_EQ(netext::div(opaque(T(7)), opaque(T(0))), R(0));
	EXPECT_EQ(netext::mod(opaque(T(-7)), opaque(T(0))), R(-7));
	EXPECT_EQ(netext::div(opaque(T(-7)), opaque(T(2))), R(-3));
	EXPECT_EQ(netext::mod(opaque(T(-7)), opaque(T(2))), R(-1));
	EXPECT_EQ(netext::div(opaque(T(7)), opaque(T(-2))), R(-3));
	EXPECT_EQ(netext::mod(opaque(T(7)), opaque(T(-2))), R(1));
	EXPECT_EQ(netext::div(opaque(T(-7)), opaque(T(-2))), R(3));
	EXPECT_EQ(netext::mod(opaque(T(-7)), opaque(T(-2))), R(-1));
	EXPECT_EQ(netext::div(opaque(hi), opaque(lo)), R(0));
	EXPECT_EQ(netext::mod(opaque(hi), opaque(lo)), R(hi));
	EXPECT_EQ(netext::div(opaque(lo), opaque(lo)), R(1));
	EXPECT_EQ(netext::div(opaque(lo), opaque(T(1))), R(lo));
	EXPECT_EQ(netext::div(opaque(lo), opaque(T(2))), R(lo / 2));
	EXPECT_EQ(netext::mod(opaque(lo), opaque(T(3))), R(lo % 3));
}

template <class T>
void check_unsigned()
{
	constexpr T hi = std::numeric_limits<T>::max();
	using R = decltype(T{} / T{});
	EXPECT_EQ(netext::div(opaque(hi), opaque(T(0))), R(0));
	EXPECT_EQ(netext::mod(opaque(hi), opaque(T(0))), R(hi));
	EXPECT_EQ(netext::div(opaque(hi), opaque(T(1))), R(hi));
	EXPECT_EQ(netext::div(opaque(hi), opaque(hi)), R(1));
	EXPECT_EQ(netext::div(opaque(T(100)), opaque(T(7))), R(14));
	EXPECT_EQ(netext::mod(opaque(T(100)), opaque(T(7))), R(2));
	EXPECT_EQ(netext::mod(opaque(T(3)), opaque(hi)), R(3));
}

} // namespace

TEST(DivMod, SignedTypesNeverTrap)
{
	check_signed<int8_t>();
	check_signed<int16_t>();
	check_signed<int32_t>();
	check_signed<int64_t>();
}

TEST(DivMod, UnsignedTypes)
{
	check_unsigned<uint8_t>();
	check_unsigned<uint16_t>();
	check_unsigned<uint32_t>();
	check_unsigned<uint64_t>();
}

TEST(DivMod, ResultTypeIsTheOperatorsType)
{
	static_assert(std::is_same_v<decltype(netext::div(uint8_t{}, uint8_t{})), int>);
	static_assert(std::is_same_v<decltype(netext::div(uint32_t{}, uint64_t{})), uint64_t>);
	static_assert(std::is_same_v<decltype(netext::mod(int64_t{}, uint32_t{})), int64_t>);
	static_assert(std::is_same_v<decltype(netext::mod(int32_t{}, uint32_t{})), uint32_t>);
	// small signed types are promoted as by `/`: -128 / -1 is 128 (an int), not a wrap
	EXPECT_EQ(netext::div(opaque(int8_t{-128}), opaque(int8_t{-1})), 128);
	// mixed signedness converts as `/` does
	EXPECT_EQ(netext::div(opaque(int32_t{-2}), opaque(uint32_t{2})), 0x7fffffffu);
}

TEST(DivMod, AgreeWithTheOperatorsOnEveryNonTrappingPair)
{
	const int32_t values[] = {std::numeric_limits<int32_t>::min(),
				  -1000003,
				  -65536,
				  -7,
				  -2,
				  -1,
				  1,
				  2,
				  3,
				  7,
				  255,
				  65535,
				  1000003,
				  std::numeric_limits<int32_t>::max()};
	for (int32_t a : values) {
		for (int32_t b : values) {
			if (a == std::numeric_limits<int32_t>::min() && b == -1)
				continue;
			EXPECT_EQ(netext::div(opaque(a), opaque(b)), a / b) << a << " / " << b;
			EXPECT_EQ(netext::mod(opaque(a), opaque(b)), a % b) << a << " % " << b;
			const auto ua = static_cast<uint32_t>(a);
			const auto ub = static_cast<uint32_t>(b);
			EXPECT_EQ(netext::div(opaque(ua), opaque(ub)), ua / ub);
			EXPECT_EQ(netext::mod(opaque(ua), opaque(ub)), ua % ub);
		}
	}
}

// The functions are constexpr: a constant table folds, as `/` by a constant does.
static_assert(netext::div(std::numeric_limits<int64_t>::min(), int64_t{-1}) ==
	      std::numeric_limits<int64_t>::min());
static_assert(netext::mod(-7, 0) == -7 && netext::div(-7, 0) == 0);
static_assert(netext::div(uint64_t{1} << 63, 2u) == uint64_t{1} << 62);
