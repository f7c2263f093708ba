// NoRef's positive and negative cases are compile-time facts; the build fails if any is
// wrong. (tests/compile_fail checks that using a non-NoRef type is a compile error.)
#include <netext/maps.hpp>
#include <netext/parsers.hpp>

#include <gtest/gtest.h>

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
static_assert(!NoRef<HasCArray>); // PFR cannot see a C array field: use netext::array
static_assert(!NoRef<HasMemberPointer>);
static_assert(!NoRef<ArrayOfPointers>);
static_assert(!NoRef<Overlay>);
static_assert(!NoRef<NotTrivial>);
static_assert(!NoRef<HasPointer[2]>);
static_assert(!NoRef<std::nullptr_t>);

TEST(NoRef, FieldCountSeesArraysAsOneField)
{
	EXPECT_EQ(detail::braced_field_count<Nested>(), 3u);
	EXPECT_EQ(detail::braced_field_count<HasCArray>(), 1u);
	EXPECT_EQ(boost::pfr::tuple_size_v<HasCArray>, 6u); // why the cross-check exists
}
