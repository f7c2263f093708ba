// expect: guard-escape
// options: --guard-type=test::Guard
#include <netext/xdp.hpp>

#include <utility>

namespace test {
struct Lock {
	uint32_t v;
};
class Guard {
public:
	explicit Guard(Lock &l) : l_(l) { l_.v = 1; }
	Guard(const Guard &) = default;
	~Guard() { l_.v = 0; }

private:
	Lock &l_;
};
} // namespace test

static test::Guard take(test::Lock &l)
{
	test::Guard g(l);
	return g;
}

NETEXT_XDP(prog)
{
	test::Lock l{0};
	test::Guard g(l);
	test::Guard copy = g;
	test::Guard moved = std::move(copy);
	take(l);
	return netext::XdpAction::Pass;
}
