// expect: compiler-macro
// An app macro standing for a compiler macro: the condition names only the app's MY_GCC,
// but its body is __GNUC__ (4 for Clang, 12 for g++), so g++ compiles the other branch.
#include <netext/xdp.hpp>

#define MY_GCC __GNUC__

NETEXT_XDP(prog)
{
#if MY_GCC >= 12
	return netext::XdpAction::Drop;
#else
	return netext::XdpAction::Pass;
#endif
}
