// expect: dangling
// A Ref into the frame reaching an out-parameter through a braced aggregate, through a
// local struct assigned whole, and returned inside a struct.
#include <netext/xdp.hpp>
using namespace netext;

namespace {
struct Box {
	Ref<uint32_t> r;
};

[[gnu::noinline]] void braced(Box &out)
{
	array<uint32_t, 2> local{};
	out = Box{local.at(0)};
}

[[gnu::noinline]] void whole(Box &out)
{
	array<uint32_t, 2> local{};
	Box tmp{};
	tmp.r = local.at(1);
	out = tmp;
}

[[gnu::noinline]] Box returned()
{
	array<uint32_t, 2> local{};
	Box b{};
	b.r = local.at(0);
	return b;
}
} // namespace

NETEXT_XDP(prog)
{
	Box a{}, b{};
	braced(a);
	whole(b);
	Box c = returned();
	if (a.r && b.r && c.r)
		*a.r = *b.r + *c.r;
	return XdpAction::Pass;
}
