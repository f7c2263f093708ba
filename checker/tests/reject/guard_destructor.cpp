// expect: guard-escape
// options: --guard-type=test::Guard
// Ending a guard early with an explicit destructor call.
#include <netext/xdp.hpp>

namespace test {
struct Guard {
	uint32_t &held;
	~Guard() { held = 0; }
};
} // namespace test

NETEXT_XDP(prog)
{
	uint32_t lock = 1;
	test::Guard g{lock};
	g.~Guard();
	return netext::XdpAction::Pass;
}
