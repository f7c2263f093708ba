// expect: recursion
// Recursion through netext::loop: the step runs the loop it is a step of (on eBPF the SDK
// only takes the step's address, for bpf_loop, so the checker follows the template argument).
#include <netext/runtime.hpp>
#include <netext/xdp.hpp>

namespace {

struct State {
	uint32_t depth;
};

long step(uint64_t, State &st);

uint32_t run(State &st)
{
	return netext::loop<step>(4, st);
}

long step(uint64_t, State &st)
{
	st.depth++;
	return run(st) > 2 ? 1 : 0;
}

} // namespace

NETEXT_XDP(prog)
{
	State st{0};
	return run(st) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
