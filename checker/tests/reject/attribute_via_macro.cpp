// expect: attribute not-allowed
// The attribute comes from the app's own macro, and on a statement and a type (the
// vector type it makes is refused too: it is not on the allow-list).
#include <netext/xdp.hpp>

#define FAST __attribute__((target("sse4.2"), hot))

namespace {
FAST uint32_t f(uint32_t x)
{
	return x + 1;
}
typedef uint32_t wide_t __attribute__((vector_size(16)));
} // namespace

NETEXT_XDP(prog)
{
	uint32_t r = f(1);
	[[clang::nomerge]] r += f(2);
	return r ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
