// expect: compiler-macro
// Compiler queries answer differently for Clang and g++ (and __has_builtin is one).
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
#if defined(__has_builtin) && __has_builtin(__builtin_ia32_pause)
	return netext::XdpAction::Drop;
#endif
	return netext::XdpAction::Pass;
}
