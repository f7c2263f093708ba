// expect: external-declaration
// A library builtin (fabs) redeclared with integer parameters: Clang drops it as a builtin,
// so the builtin list never sees the call, and the linker resolves it in the kernel.
#include <netext/xdp.hpp>

extern "C" {
unsigned long fabs(unsigned long bits);
}

NETEXT_XDP(prog)
{
	return fabs(0xffffffff81000000ul) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
