// expect: sdk-specialization
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/07_friend_injection.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. outside: the app defines
// netext::csum::detail::Access itself (declared, and befriended, by PacketView in packet.hpp)
// before checksum.hpp is seen: it reaches PacketView's private pointers and builds a view reaching
// far past the packet. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is
// set here.
#include <netext/context.hpp>
#include <netext/program.hpp>

namespace netext::csum::detail {
struct Access {
	static PacketView widen(const PacketView &v, const PacketView &far)
	{
		PacketView r = v;
		r.end_ = far.end_;
		return r;
	}
	static PacketView swap_ends(const PacketView &v)
	{
		PacketView r = v;
		r.begin_ = v.end_;
		r.end_ = v.begin_;
		return r;
	}
};
} // namespace netext::csum::detail

using namespace netext;

NETEXT_XDP(friend_inject)
{
	PacketView v = ctx.packet();
	// begin_ > end_: size() wraps to ~4 GiB and has()/bytes() compare p + len with end_
	PacketView odd = csum::detail::Access::swap_ends(v);
	(void)odd.size();
	PacketView w = csum::detail::Access::widen(v, v);
	(void)w.store(0, uint8_t{0});
	return XdpAction::Pass;
}
