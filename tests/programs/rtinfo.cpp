// A test-only extension for the runtime's random numbers and CPU id: each run stores one
// draw and the CPU it ran on in `draws` (index: the first UDP payload byte of an untagged
// IPv4 packet without options, at offset 42).
#include <netext/xdp.hpp>

using namespace netext;

struct Draw {
	uint32_t random;
	uint32_t cpu;
};

NETEXT_MAP(draws, Array<Draw, 256>);

NETEXT_XDP(rtinfo_xdp)
{
	PacketView v = ctx.packet();
	int at = v.byte(42);
	if (at < 0)
		return XdpAction::Aborted;
	if (Ref<Draw> d = draws.lookup(static_cast<uint32_t>(at))) {
		d->random = random_u32();
		d->cpu = cpu_id();
	}
	return XdpAction::Pass;
}
