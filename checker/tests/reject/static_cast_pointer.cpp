// expect: pointer-static-cast
// A downcast of a reference: static_cast does not check the dynamic type.
#include <netext/xdp.hpp>

struct Base {
	uint32_t kind;
};
struct Derived : Base {
	uint32_t extra;
};

static uint32_t extra_of(Base &b)
{
	return static_cast<Derived &>(b).extra;
}

NETEXT_XDP(prog)
{
	Base b{1};
	return extra_of(b) ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
