// expect: raw-pointer sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/09_map_macro_user_map_type.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. sdkobj: NETEXT_MAP given an app-written
// map type (not netext::Map) whose desc() is forwarded from a real map (name taken as a reference
// to the literal, no pointer spelled) and whose value_type is a 64 KiB struct: no NoRef or size
// check applies; lookups overrun the 8-byte values. The native gate passes -DNETEXT_NATIVE; the
// corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

struct Wide {
	array<uint64_t, 8192> w;
};
#if NETEXT_BACKEND_NATIVE
struct FakeMap {
	using key_type = uint32_t;
	using value_type = Wide;
	template <std::size_t N>
	static constexpr native::MapDesc desc(const char (&name)[N]) noexcept
	{
		return Array<uint64_t, 1>::desc(name);
	}
};
NETEXT_MAP(wide, FakeMap);
#else
NETEXT_MAP(wide, Array<uint64_t, 1>);
#endif

NETEXT_XDP(fake_map)
{
#if NETEXT_BACKEND_NATIVE
	if (Ref<Wide> w = wide.lookup(0))
		w->w.set(8191, 0);
#endif
	return XdpAction::Pass;
}
