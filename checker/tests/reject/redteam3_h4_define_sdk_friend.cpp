// expect: sdk-specialization
// flags: -DNETEXT_NATIVE
// Red team round 3 H4 (issue 19, z26): PacketView's friend netext::csum::detail::Access is
// only declared unless checksum.hpp is included; an app defined it with a qualified name
// (no namespace reopened) and rebased a view onto a null pointer. No app declaration may
// live in a namespace or class the SDK or the toolchain declared.
#include <netext/program.hpp>
struct netext::csum::detail::Access {
	static void copy(netext::PacketView &v, const netext::PacketView &from) { v = from; }
};
NETEXT_XDP(h4_define_sdk_friend)
{
	netext::PacketView v = ctx.packet();
	netext::csum::detail::Access::copy(v, ctx.packet());
	return netext::XdpAction::Pass;
}
