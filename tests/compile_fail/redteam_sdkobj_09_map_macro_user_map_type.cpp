// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), sdkobj/09_map_macro_user_map_type.cpp (was a checker reject case; the
// SDK refuses it first now): NETEXT_MAP given an app-written map type (not an SDK map) whose
// desc() is forwarded from a real map and whose value_type is a 64 KiB struct, so lookups
// would overrun the 8-byte values. NETEXT_MAP takes only the SDK's own map templates.
#include <netext/xdp.hpp>
using namespace netext;

struct Wide {
	array<uint64_t, 8192> w;
};
#ifdef NETEXT_EXPECT_FAIL
struct FakeMap {
	using key_type = uint32_t;
	using value_type = Wide;
#if NETEXT_BACKEND_NATIVE
	template <std::size_t N>
	static constexpr native::MapDesc desc(const char (&name)[N]) noexcept
	{
		return Array<uint64_t, 1>::desc(name);
	}
#endif
};
NETEXT_MAP(wide, FakeMap);
#else
NETEXT_MAP(wide, Array<uint64_t, 1>);
#endif

NETEXT_XDP(fake_map)
{
	return XdpAction::Pass;
}
