// expect: external-declaration linkage-attribute
#include <netext/xdp.hpp>

extern "C" int real_impl()
{
	return 1;
}
extern "C" __attribute__((weak, alias("real_impl"))) int other();

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
