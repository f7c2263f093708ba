// expect: floating-point reinterpret-cast generic-code
// Inside a constexpr function (never constant-evaluated here) and a template.
#include <netext/xdp.hpp>

template <typename T>
constexpr uint32_t bits(const T &v)
{
	return reinterpret_cast<const uint32_t &>(v);
}

NETEXT_XDP(prog)
{
	float f = 1.0f;
	return bits(f) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
