// expect: bit-cast dangling sdk-internal
// flags: -DNETEXT_NATIVE
// Red team (issue 19), sdkobj/08_desc_reference_alias.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. sdkobj: a reference to an SDK descriptor taken in a
// helper, then rebound through it to a forged map pointer built from packet bytes by std::bit_cast:
// netext.ko calls ops of a kernel "struct bpf_map" the packet chose (control-flow hijack). The
// native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <bit>
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_MAP(table, Array<uint64_t, 1>);

#if NETEXT_BACKEND_NATIVE
namespace {
NETEXT_INLINE void reseat(native::MapDesc &d, const array<uint8_t, 40> &raw)
{
	d = std::bit_cast<native::MapDesc>(raw);
}
} // namespace
#endif

NETEXT_XDP(forge_map)
{
#if NETEXT_BACKEND_NATIVE
	PacketView v = ctx.packet();
	array<uint8_t, 40> raw{};
	if (!v.load(14, raw))
		return XdpAction::Pass;
	reseat(netext_map_desc_table, raw);
#endif
	if (Ref<uint64_t> x = table.lookup(0))
		*x += 1;
	return XdpAction::Pass;
}
