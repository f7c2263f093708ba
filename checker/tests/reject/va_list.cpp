// expect: c-varargs
// va_list and the builtins, without <cstdarg>.
#include <netext/xdp.hpp>

static int first(int n, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, n);
	int v = __builtin_va_arg(ap, int);
	__builtin_va_end(ap);
	return v;
}

NETEXT_XDP(prog)
{
	return first(1, 5) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
