// expect: compiler-macro
// A name neither compiler predefines for Clang, tested in an #elif through defined(): g++
// -O2 defines __OPTIMIZE__, so only the module takes the branch.
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
#if NETEXT_BACKEND_EBPF
	return netext::XdpAction::Pass;
#elif defined(__OPTIMIZE__)
	return netext::XdpAction::Drop;
#else
	return netext::XdpAction::Pass;
#endif
}
