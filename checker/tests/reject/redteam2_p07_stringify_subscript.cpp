// expect: foreign-macro
// proposed: compiler-macro-stringify the p01 split used as a constant subscript: kI = 39 - sizeof(S1(__cpp_lib_is_layout_compatible)).
// Clang (checker) sees 39-31 = 8, in range for uint32_t[9]; g++ sees 39-8 = 31: put() writes a packet-chosen
// value 88 bytes past the caller's array (into its frame / return address: kernel stack corruption), and
// peek() copies the 4 bytes 88 bytes past it into the packet (kernel stack leak).
// g++ warns -Warray-bounds here (fatal only with NETEXT_WERROR=ON).
#include <version>
#include <netext/xdp.hpp>
using namespace netext;
#define S2(x) #x
#define S1(x) S2(x)
constexpr uint32_t kI = 39 - sizeof(S1(__cpp_lib_is_layout_compatible));
[[gnu::noinline]] void put(uint32_t (&a)[9], uint32_t v) { a[kI] = v; }
[[gnu::noinline]] uint32_t peek(const uint32_t (&a)[9]) { return a[kI]; }
NETEXT_XDP(p07)
{
	uint32_t a[9] = {};
	uint32_t v = 0;
	if (!ctx.packet().load(0, v))
		return XdpAction::Pass;
	put(a, v);
	uint32_t leak = peek(a);
	ctx.packet().store(0, leak);
	ctx.packet().store(4, a[8]);
	return XdpAction::Pass;
}
