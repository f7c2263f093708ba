// expect: dangling
// proposed: dangling-ref-out-param mk() stores a Ref into its own local netext::array through a Ref& parameter
// (d14's hole); after it returns, touch() reuses the same stack bytes for a PacketView; reading the
// dangling Ref then copies touch()'s saved view (a kernel pointer to the packet buffer) into the packet:
// kernel address leak (KASLR/heap layout), and a write through it would corrupt later frames.
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] void keep(array<uint64_t, 2> &a) { a.set(1, a.at_or(0, 0) + 1); }
[[gnu::noinline]] void mk(Ref<uint64_t> &out) { array<uint64_t, 2> a{}; keep(a); out = a.at(0); }
[[gnu::noinline]] bool use(const PacketView &w) { return w.has(0, 8); }
[[gnu::noinline]] bool touch(const PacketView &v) { PacketView w = v; return use(w); }
NETEXT_XDP(d17)
{
	Ref<uint64_t> r;
	mk(r);
	if (!touch(ctx.packet()))
		return XdpAction::Pass;
	uint64_t leak = r.value_or(0);
	ctx.packet().store(0, leak);
	return XdpAction::Pass;
}
