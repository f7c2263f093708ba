// What the value and lifetime rules allow: constant divisors and netext::div/mod,
// initialised locals (T{}, default member initialisers, SDK types), Refs from maps returned
// and kept across a move of the packet, a new view after it, braced lists passed straight
// to a parameter or looped over, and the app's own macros in preprocessor conditions.
#include <netext/arith.hpp>
#include <netext/xdp.hpp>

#ifndef VALUES_BATCH
#define VALUES_BATCH 4
#endif
#define VALUES_WIDE (VALUES_BATCH > 2)

using namespace netext;

struct Slot {
	uint64_t packets = 0;
	uint32_t last = 0;
	uint32_t reserved = 0;
};
struct Plain {
	uint32_t a;
	uint32_t b;
};
NETEXT_MAP(slots, Array<Slot, 4>);

namespace {
NETEXT_INLINE Ref<Slot> slot_of(uint32_t i)
{
	Ref<Slot> s = slots.lookup(i & 3);
	return s;
}
NETEXT_INLINE const Slot &pick(const Slot &a)
{
	return a;
}
} // namespace

NETEXT_XDP(prog)
{
	PacketView v = ctx.packet();
	uint32_t n = v.size();
	uint32_t d = 0;
	(void)v.load(14, d);
	uint32_t q = n / 8 + n % 16u + netext::div(n, d) + netext::mod(n, d);
	Slot local;
	Plain p{};
	FibResult fib;
	uint64_t sum = local.packets + p.a + fib.ifindex;
	for (uint32_t w : {1u, 2u, 3u})
		sum += w;
	const Slot &kept = pick(local);
	Ref<Slot> s = slot_of(n);
	if (!s)
		return XdpAction::Pass;
#if VALUES_WIDE && NETEXT_BACKEND_NATIVE
	sum += VALUES_BATCH;
#endif
	if (!ctx.adjust_head(-4))
		return XdpAction::Pass;
	PacketView after = ctx.packet();
	s->packets += sum + q + kept.last;
	(void)after.store(0, uint32_t{0});
	return XdpAction::Tx;
}
