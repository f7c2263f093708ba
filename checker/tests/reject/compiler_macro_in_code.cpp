// expect: compiler-macro
// A predefined macro in code, not in a condition: the index is 0 for Clang (__GNUC__ is 4)
// and 8 for g++ 12, past the end of a one-element array.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	uint8_t seen[1] = {0};
	seen[__GNUC__ - 4] = 1;
	return seen[0] != 0 ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
