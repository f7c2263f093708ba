// expect: sdk-specialization sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), noref/12_noref_impl_function_spec.cpp, accepted by netext-check at
// 64df7b4b56 (11:49 UTC) and compiled by the native flags. noref: an explicit specialisation of the
// SDK's consteval netext::detail::noref_impl for PacketView returning true: NoRef<PacketView>
// holds, a view is copied out of the packet by v.load() (memcpy over its two pointers). The native
// gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

template <>
consteval bool netext::detail::noref_impl<netext::PacketView>()
{
	return true;
}

// PacketView::load takes Bits types, which ask noref_impl in its kAllBits mode too.
template <>
consteval bool netext::detail::noref_impl<netext::PacketView, netext::detail::kAllBits>()
{
	return true;
}

NETEXT_XDP(impl_spec)
{
	PacketView v = ctx.packet();
	PacketView forged;
	if (v.load(14, forged)) // memcpy of 16 packet bytes into a view
		(void)forged.store(0, uint64_t{0});
	return XdpAction::Pass;
}
