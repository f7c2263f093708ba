// The attributes on the allow-list, in their spellings, and the app's own namespace inside
// netext.
#include <netext/xdp.hpp>

#include "allowed_attributes.hpp"

using namespace netext;
using namespace netext::attrs_app;

namespace {
[[gnu::noinline]] uint32_t slow(uint32_t x)
{
	return x * 3;
}
__attribute__((always_inline)) inline uint32_t fast(uint32_t x)
{
	return x + 1;
}
[[gnu::cold, gnu::noinline]] uint32_t rare(uint32_t x)
{
	return x - 1;
}
[[gnu::const]] uint32_t square(uint32_t x)
{
	return x * x;
}
struct [[gnu::packed]] OnWire {
	uint8_t kind;
	uint32_t value;
};
struct Final final {
	uint32_t v;
};
} // namespace

NETEXT_XDP(prog)
{
	[[maybe_unused]] uint32_t unused_here = 0;
	__attribute__((unused)) uint32_t also_unused = 0;
	uint32_t n = ctx.packet().size();
	Stats s{half(n), 0};
	OnWire w{1, n};
	Final f{n};
	switch (n & 3) {
	case 0: s.seen += 1; [[fallthrough]];
	case 1: s.dropped += 1; break;
	default: break;
	}
	if (n > 1000) [[unlikely]]
		return XdpAction::Drop;
	return slow(s.seen) + fast(w.value) + rare(f.v) + square(s.dropped) > 3 ? XdpAction::Pass
										: XdpAction::Drop;
}
