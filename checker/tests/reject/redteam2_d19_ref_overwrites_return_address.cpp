// expect: dangling
// proposed: dangling-ref-out-param d14's hole turned into control-flow hijack: mk() hands out (through a Ref&
// parameter) a Ref to its local array, 24 bytes below the caller's stack pointer. victim() calls mid() calls wr2(),
// whose return address g++-12 pushes at exactly that address (C-8 victim's, C-16 mid's, C-24 wr2's = mk's a); wr2() writes a packet-chosen 64-bit value
// through the dangling Ref = over its own return address, and its `ret` jumps to an address the packet
// chose: arbitrary kernel-mode code execution. Verified in the -S output with the gate's flags (no warning).
#include <netext/xdp.hpp>
using namespace netext;
[[gnu::noinline]] void keep(array<uint64_t, 2> &a) { a.set(1, a.at_or(0, 0) + 1); }
[[gnu::noinline]] void mk(Ref<uint64_t> &out) { array<uint64_t, 2> a{}; keep(a); out = a.at(0); }
[[gnu::noinline]] uint32_t wr2(const Ref<uint64_t> &r, uint64_t v) { if (r) *r = v; return 1; }
[[gnu::noinline]] uint32_t mid(const Ref<uint64_t> &r, uint64_t v) { return wr2(r, v) + 1; }
[[gnu::noinline]] uint32_t victim(const Ref<uint64_t> &r, uint64_t v) { return mid(r, v) + 1; }
NETEXT_XDP(d19)
{
	uint64_t target = 0;
	if (!ctx.packet().load(0, target))
		return XdpAction::Pass;
	Ref<uint64_t> r;
	mk(r);
	uint32_t n = victim(r, target);
	ctx.packet().store(8, n);
	return XdpAction::Pass;
}
