// expect: sdk-internal
// options: --extra-arg=-DNETEXT_NATIVE
// A knob's storage is written through the name NETEXT_CONFIG gave it, and a program's
// registration record is named.
#include <netext/config.hpp>
#include <netext/xdp.hpp>

NETEXT_CONFIG(uint32_t, limit, 10);

NETEXT_XDP(prog)
{
	netext_knob_storage_limit = 100000;
	return netext_prog_rec_prog.hook ? netext::XdpAction::Drop : netext::XdpAction::Pass;
}
