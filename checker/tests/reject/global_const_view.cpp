// expect: global-init global-reference
// Globals that hold a view, a Ref or a reference: const does not make what they refer to
// live as long as they do.
#include <netext/xdp.hpp>

#include <initializer_list>

namespace {
constexpr uint32_t kTable[2] = {1, 2};
constexpr const uint32_t &kFirst = kTable[0];
const netext::PacketView kNoPacket{};
constexpr std::initializer_list<uint32_t> kList{1, 2};
} // namespace

NETEXT_XDP(prog)
{
	static const netext::Ref<uint32_t> cached{};
	return kFirst + kNoPacket.size() + kList.size() + (cached ? 1 : 0)
		       ? netext::XdpAction::Pass
		       : netext::XdpAction::Drop;
}
