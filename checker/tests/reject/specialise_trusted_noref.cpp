// expect: sdk-specialization
// Declaring an SDK trait true for a type that holds a view, so that it passes as NoRef and
// can be stored into a map or the packet.
#include <netext/xdp.hpp>

namespace {
struct Smuggled {
	netext::PacketView view;
};
} // namespace

template <>
struct netext::trusted_noref<Smuggled> : std::true_type {};

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
