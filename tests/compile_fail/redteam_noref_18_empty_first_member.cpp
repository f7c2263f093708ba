// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Red team (issue 19), noref/18_empty_first_member.cpp (was checker/tests/open/): an empty
// struct as the first member made the SDK's braced field count 0 ("{any_field{}}" cannot
// initialise an empty aggregate), so NoRef held without one field inspected; a
// std::initializer_list (pointer + length) loaded from the packet then walked any kernel
// range. A non-empty aggregate whose count stops at an element is not NoRef now.
#include <initializer_list>
#include <netext/xdp.hpp>
using namespace netext;

struct Empty {};
#ifdef NETEXT_EXPECT_FAIL
struct Innocent {
	Empty tag;
	std::initializer_list<uint64_t> words; // pointer and length, straight from the packet
};
#else
struct Innocent {
	uint32_t tag;
	uint32_t len;
};
#endif

NETEXT_XDP(empty_first)
{
	PacketView v = ctx.packet();
	Innocent in{};
	if (!v.load(14, in))
		return XdpAction::Pass;
	return XdpAction::Tx;
}
