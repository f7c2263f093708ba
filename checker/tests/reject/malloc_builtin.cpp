// expect: dynamic-alloc external-declaration raw-pointer
// malloc without a header: Clang knows it as a library builtin.
#include <netext/xdp.hpp>

#include <cstddef>

extern "C" void *malloc(std::size_t);
extern "C" void free(void *);

NETEXT_XDP(prog)
{
	free(malloc(8));
	return netext::XdpAction::Pass;
}
