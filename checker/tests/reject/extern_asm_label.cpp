// expect: external-declaration linkage-attribute
// A declaration renamed to a kernel symbol with an asm label.
#include <netext/xdp.hpp>

unsigned long harmless(unsigned long) asm("kallsyms_lookup_name");

NETEXT_XDP(prog)
{
	return harmless(0) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
