// expect: sdk-specialization
// flags: -DNETEXT_NATIVE
// Red team round 3 H4: an explicit specialisation written with a qualified name at global
// scope (no `namespace std {` to refuse) lies to the tuple protocol PFR reads.
#include <netext/xdp.hpp>
#include <utility>
using namespace netext;
struct Pair {
	uint32_t a, b;
};
template <>
struct std::tuple_size<Pair> : std::integral_constant<size_t, 1> {};
NETEXT_XDP(h4_qualified_std_specialization)
{
	return XdpAction::Pass;
}
