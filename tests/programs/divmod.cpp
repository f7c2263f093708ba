// A test-only extension for netext::div and netext::mod on every backend: the operands
// are two 64-bit little-endian integers at offset 42 (the UDP payload of an untagged IPv4
// packet without options); the program stores both functions' results for them as
// signed and unsigned, 64 and 32 bits, in `results` (key 0). The compile-time table below
// is checked by each backend's compiler.
#include <netext/xdp.hpp>

using namespace netext;

struct DivModResults {
	int64_t sdiv64;
	int64_t smod64;
	uint64_t udiv64;
	uint64_t umod64;
	int32_t sdiv32;
	int32_t smod32;
	uint32_t udiv32;
	uint32_t umod32;
};

NETEXT_MAP(results, Array<DivModResults, 1>);

constexpr int64_t kMin64 = -9223372036854775807 - 1;
constexpr int32_t kMin32 = -2147483647 - 1;
static_assert(netext::div(kMin64, int64_t{-1}) == kMin64 && netext::mod(kMin64, int64_t{-1}) == 0);
static_assert(netext::div(kMin32, -1) == kMin32 && netext::mod(kMin32, -1) == 0);
static_assert(netext::div(uint64_t{5}, uint64_t{0}) == 0 && netext::mod(uint64_t{5}, 0u) == 5);
static_assert(netext::div(-7, 2) == -3 && netext::mod(-7, 2) == -1 && netext::mod(7, -2) == 1);

NETEXT_XDP(divmod_xdp)
{
	PacketView v = ctx.packet();
	uint64_t a = 0;
	uint64_t b = 0;
	if (!v.load(42, a) || !v.load(50, b))
		return XdpAction::Aborted;
	Ref<DivModResults> r = results.lookup(0);
	if (!r)
		return XdpAction::Aborted;
	const auto sa = static_cast<int64_t>(a);
	const auto sb = static_cast<int64_t>(b);
	const auto a32 = static_cast<uint32_t>(a);
	const auto b32 = static_cast<uint32_t>(b);
	r->sdiv64 = netext::div(sa, sb);
	r->smod64 = netext::mod(sa, sb);
	r->udiv64 = netext::div(a, b);
	r->umod64 = netext::mod(a, b);
	r->sdiv32 = netext::div(static_cast<int32_t>(a32), static_cast<int32_t>(b32));
	r->smod32 = netext::mod(static_cast<int32_t>(a32), static_cast<int32_t>(b32));
	r->udiv32 = netext::div(a32, b32);
	r->umod32 = netext::mod(a32, b32);
	return XdpAction::Pass;
}
