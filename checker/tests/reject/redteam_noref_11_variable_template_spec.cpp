// expect: sdk-specialization
// flags: -DNETEXT_NATIVE
// Red team (issue 19), noref/11_variable_template_spec.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. noref: the app specialises the variable templates
// std::is_trivially_copyable_v and std::is_arithmetic_v for PacketView (the SDK's NoRef reads
// exactly those): NoRef<PacketView> holds and v.load() memcpys 16 packet bytes over a view's two
// pointers. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
#include <type_traits>
using namespace netext;

template <>
inline constexpr bool std::is_trivially_copyable_v<netext::PacketView> = true;
template <>
inline constexpr bool std::is_arithmetic_v<netext::PacketView> = true;

NETEXT_XDP(vt_lie)
{
	PacketView v = ctx.packet();
	PacketView forged;
	if (v.load(14, forged))
		(void)forged.store(0, uint64_t{0});
	return XdpAction::Pass;
}
