// expect: alignment
// proposed: stack-realign alignas(65536) on a local: g++ realigns the frame (`and $-65536, %rsp`), moving the
// stack pointer down by up to 64 KiB -- past the 24 KiB per-CPU extension stack -- and then writes the
// buffer and calls fill() there: kernel memory below the extension stack is overwritten (or the guard
// page gives a double fault). alignas is on the checker's attribute allow-list.
#include <netext/xdp.hpp>
using namespace netext;
struct alignas(65536) Big { uint8_t b[64] = {}; };
[[gnu::noinline]] void fill(Big &g, const PacketView &v) { for (uint32_t i = 0; i < 64; ++i) g.b[i & 63] = static_cast<uint8_t>(v.byte(i)); }
NETEXT_XDP(x01) { Big g{}; fill(g, ctx.packet()); ctx.packet().store(0, g.b[5]); return XdpAction::Pass; }
