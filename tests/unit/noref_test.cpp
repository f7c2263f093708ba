// NoRef's positive and negative cases are compile-time facts; the build fails if any is
// wrong. (tests/compile_fail checks that using a non-NoRef type is a compile error.)
#include <netext/maps.hpp>
#include <netext/parsers.hpp>
#include <netext/xdp.hpp>

#include <array>
#include <bit>
#include <gtest/gtest.h>
#include <tuple>

using namespace netext;

namespace {
struct Plain {
	uint32_t a;
	uint16_t b;
	be16 c;
};
struct Nested {
	Plain p;
	array<Plain, 3> ps;
	uint64_t x;
};
struct HasPointer {
	uint32_t a;
	const char *name;
};
struct NestedPointer {
	Plain p;
	struct {
		uint32_t x;
		int *y;
	} inner;
};
struct HasCArray {
	uint8_t mac[6];
};
struct HasMemberPointer {
	int Plain::*m;
};
struct ArrayOfPointers {
	array<int *, 2> ptrs;
};
union Overlay {
	uint32_t a;
	uint8_t b[4];
};
struct NotTrivial {
	uint32_t a;
	NotTrivial(const NotTrivial &o) : a(o.a + 1) {}
};
enum class Color : uint8_t { Red };

// References: PFR reported a reference member as its referent type.
struct HasRef {
	uint32_t a;
	const uint32_t &r;
};
struct HasRvalueRef {
	uint32_t &&r;
};
struct NestsRef {
	Plain p;
	HasRef h;
};
struct HasConst { // a const member deletes the copy assignment too: refused
	const uint32_t a;
};

// The tuple protocol: a struct holding a pointer that claims, through std::tuple_size /
// tuple_element / get, to hold an integer. A structured binding (and so Boost.PFR) would
// believe it.
struct LiesAboutItsFields {
	uint32_t *p;
};
struct NestsLiar {
	uint32_t a;
	LiesAboutItsFields l;
};
struct HonestButTupleLike { // no pointer, but the tuple protocol is not trusted at all
	uint32_t a;
};
struct LiesWhenConst {
	uint64_t *p;
};

// A field whose type takes anything in a constructor template (so aggregate
// initialisation alone cannot tell its type).
struct TakesAnything {
	int *p;
	TakesAnything() = default;
	template <class A>
	constexpr TakesAnything(A /*unused*/) : p(nullptr)
	{}
};
struct HoldsTakesAnything {
	uint32_t a;
	TakesAnything t;
};

struct ManyFields { // 33 fields: more than the reflection reads
	uint8_t f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
		f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31, f32;
};
struct BitFields {
	uint32_t a : 3, b : 29;
};
struct Empty {};
struct Padded {
	uint8_t a;
	uint32_t b;
};
struct ExplicitPad {
	uint8_t a;
	uint8_t pad[3];
	uint32_t b;
};
struct ExplicitPadArray {
	uint8_t a;
	array<uint8_t, 3> pad;
	uint32_t b;
};

// An empty member or base stopped the field count, and what followed it went unseen
// (red team noref_18): refused, wherever it is.
struct EmptyFirst {
	Empty e;
	uint64_t *p;
};
struct EmptyMiddle {
	uint64_t a;
	Empty e;
	uint64_t *p;
};
struct EmptyMiddleHarmless { // refused too: the reflection cannot see past it
	uint64_t a;
	Empty e;
	uint64_t b;
};
struct EmptyBase : Empty {
	uint64_t *p;
};
struct NoUniqueAddress {
	uint32_t a;
	[[no_unique_address]] Empty e;
	uint32_t b;
};
struct NestsEmptyFirst {
	uint32_t a;
	EmptyFirst in;
};
struct AlignasMember { // bytes no field explains: the layout is not checked, so refused
	uint32_t a;
	alignas(16) uint32_t b;
};
// A member whose own first member is a netext::array: its count was cut short by an
// ambiguous conversion (and the reflection failed to compile).
struct ArrayFirst {
	array<uint32_t, 2> words;
};
struct NestsArrayFirst {
	uint32_t tag;
	ArrayFirst inner;
};

// Atomics: map memory only.
struct Shared {
	Atomic<uint32_t> lock;
	uint32_t value;
	Atomic<uint64_t> hits;
};
struct NestsAtomicInArray {
	uint32_t tag;
	array<Atomic<uint32_t>, 2> words;
};
} // namespace

template <>
struct std::tuple_size<LiesAboutItsFields> : std::integral_constant<std::size_t, 1> {};
template <>
struct std::tuple_element<0, LiesAboutItsFields> {
	using type = uint32_t;
};
template <>
struct std::tuple_size<HonestButTupleLike> : std::integral_constant<std::size_t, 1> {};
template <>
struct std::tuple_element<0, HonestButTupleLike> {
	using type = uint32_t;
};
template <>
struct std::tuple_size<const LiesWhenConst> : std::integral_constant<std::size_t, 1> {};
template <>
struct std::tuple_element<0, const LiesWhenConst> {
	using type = const uint64_t;
};
namespace {
template <std::size_t I>
uint32_t get(const LiesAboutItsFields & /*unused*/)
{
	return 0;
}
template <std::size_t I>
uint32_t get(const HonestButTupleLike &h)
{
	return h.a;
}
template <std::size_t I>
uint64_t get(const LiesWhenConst & /*unused*/)
{
	return 0;
}
} // namespace

static_assert(NoRef<uint8_t> && NoRef<uint64_t> && NoRef<double> && NoRef<Color>);
static_assert(NoRef<Plain>);
static_assert(NoRef<Nested>);
static_assert(NoRef<uint32_t[8]>);
static_assert(NoRef<Plain[2]>);
static_assert(NoRef<EthHdr> && NoRef<Ipv4Hdr> && NoRef<Ipv6Hdr> && NoRef<TcpHdr>);
static_assert(!NoRef<int *>);
static_assert(!NoRef<int &>);
static_assert(!NoRef<HasPointer>);
static_assert(!NoRef<NestedPointer>);
static_assert(!NoRef<HasCArray>); // a C array field: netext::array is the checked spelling
static_assert(!NoRef<HasMemberPointer>);
static_assert(!NoRef<ArrayOfPointers>);
static_assert(!NoRef<Overlay>);
static_assert(!NoRef<NotTrivial>);
static_assert(!NoRef<HasPointer[2]>);
static_assert(!NoRef<std::nullptr_t>);
static_assert(!NoRef<HasRef> && !NoRef<HasRvalueRef> && !NoRef<NestsRef> && !NoRef<HasConst>);
static_assert(!NoRef<NestsRef[2]> && !NoRef<array<NestsRef, 2>>);
static_assert(!NoRef<LiesAboutItsFields> && !NoRef<NestsLiar> && !NoRef<HonestButTupleLike>);
static_assert(!NoRef<LiesWhenConst> && !NoRef<const LiesWhenConst>);
static_assert(!NoRef<TakesAnything> && !NoRef<HoldsTakesAnything>);
static_assert(!NoRef<ManyFields>);
// Bit-fields sharing a unit: the fields found do not lay out as the type does, so the
// reflection cannot vouch for it.
static_assert(!NoRef<BitFields> && NoRef<Empty> && NoRef<const Plain>);
static_assert(!NoRef<EmptyFirst> && !NoRef<EmptyMiddle> && !NoRef<EmptyMiddleHarmless>);
static_assert(!NoRef<EmptyBase> && !NoRef<NoUniqueAddress> && !NoRef<NestsEmptyFirst>);
static_assert(!NoRef<AlignasMember>);
static_assert(NoRef<ArrayFirst> && Wire<NestsArrayFirst> && PacketType<NestsArrayFirst>);

// Atomic words: in map values (Wire), never where a packet Ref could reach (PacketType).
static_assert(Wire<Atomic<uint32_t>> && Wire<Shared> && Wire<NestsAtomicInArray>);
static_assert(!PacketType<Atomic<uint64_t>> && !PacketType<Shared>);
static_assert(!PacketType<NestsAtomicInArray> && !PacketType<array<Atomic<uint32_t>, 1>>);
static_assert(PacketType<Plain> && PacketType<EthHdr> && PacketType<array<uint8_t, 6>>);
static_assert(sizeof(Atomic<uint64_t>) == 8 && alignof(Atomic<uint64_t>) == 8);

// Wire: NoRef without padding (what is copied into a packet or a map).
static_assert(NoRef<Padded> && !Wire<Padded>);
static_assert(!NoRef<ExplicitPad> && Wire<ExplicitPadArray> && Wire<Plain> && Wire<Nested>);
static_assert(!Wire<double>); // +0.0 and -0.0: two representations of equal values

// Bits: every bit pattern a value (red team round 3, e02/e09/e10): what bytes from outside
// the program (a packet, a map) may be copied into. A bool is NoRef (the program's own
// bools are 0 or 1) but not Bits, at any depth: 2 to 255 is no bool, and g++ assumes one.
enum class BoolFlag : bool { Off, On };
enum class ByteFlag : uint8_t { Off, On };
struct HasBool {
	uint8_t a;
	bool b;
};
struct NestsBool {
	array<HasBool, 2> inner;
};
static_assert(NoRef<bool> && !Bits<bool> && !Wire<bool> && !PacketType<bool>);
static_assert(NoRef<BoolFlag> && !Bits<BoolFlag> && Bits<ByteFlag> && Bits<Color>);
static_assert(NoRef<HasBool> && !Bits<HasBool> && !Wire<HasBool>);
static_assert(!Bits<NestsBool> && !Bits<array<bool, 4>> && !Bits<bool[2]>);
static_assert(Bits<Plain> && Bits<uint8_t[4]> && Bits<Padded> && Bits<Atomic<uint32_t>>);
static_assert(Wire<memcached::Request> && Wire<EthHdr> && Wire<Ipv4Hdr> && Wire<TcpHdr>);

// The SDK's handles to memory are not trivially copyable: none can be made out of bytes.
static_assert(!std::is_trivially_copyable_v<Ref<uint32_t>>);
static_assert(!std::is_trivially_copyable_v<PacketView>);
static_assert(!std::is_trivially_copyable_v<Cursor>);
static_assert(!std::is_trivially_copyable_v<XdpContext>);
static_assert(!std::is_trivially_copyable_v<TcContext>);
static_assert(!std::is_copy_constructible_v<XdpContext> && !std::is_copy_assignable_v<TcContext>);
template <class To>
concept BitCastable = requires(std::array<uint8_t, sizeof(To)> bytes)
{
	std::bit_cast<To>(bytes);
};
static_assert(BitCastable<Plain> && BitCastable<uint64_t>); // the control
static_assert(!BitCastable<PacketView> && !BitCastable<Ref<uint32_t>> && !BitCastable<Cursor>);
static_assert(!NoRef<Ref<uint32_t>> && !NoRef<PacketView>);

TEST(NoRef, FieldCountSeesArraysAsOneField)
{
	EXPECT_EQ(detail::braced_field_count<NestsArrayFirst>(), 2u);
	EXPECT_EQ(detail::braced_field_count<Nested>(), 3u);
	EXPECT_EQ(detail::braced_field_count<HasCArray>(), 1u);
	EXPECT_EQ(detail::braced_field_count<HoldsTakesAnything>(), 2u);
}
