// subscript: a test app (kmod/tests, issue 19) whose subscripts a packet byte chooses, for
// the native backend's run-time bounds checks under real traffic. The UDP payload's second
// byte picks a counter: '0'..'9' through netext::array's operator[], 'a'..'j' through at()
// (a Ref, dereferenced). Eight counters: '8', '9', 'i', 'j' are out of range -- natively a
// fault (reason bounds, the program's fault verdict, the kernel fine), on eBPF the last
// counter (operator[] clamps) or a miss. Every packet passes.
#include <netext/xdp.hpp>

using namespace netext;

struct Counts {
	array<uint64_t, 8> n;
};

// One value: the eight counters the packets choose.
NETEXT_MAP(subscript_counts, Array<Counts, 1>);

NETEXT_XDP(subscript_rx)
{
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok || info.l4 != L4::Udp)
		return XdpAction::Pass;
	int b = v.byte(info.l4info.payload_off + 1); // the UDP payload's second byte
	Ref<Counts> c = subscript_counts.lookup(0);
	if (!c || b < 0)
		return XdpAction::Pass;
	if (b >= '0' && b <= '9')
		c->n[static_cast<uint32_t>(b - '0')] += 1;
	else if (b >= 'a' && b <= 'j')
		*c->n.at(static_cast<uint32_t>(b - 'a')) += 1;
	return XdpAction::Pass;
}
