// expect: sdk-specialization
// The tuple protocol (tuple_size / tuple_element) that reflection reads, told a lie.
#include <netext/xdp.hpp>

#include <utility>

namespace app {
struct Hidden {
	uint64_t word;
};
} // namespace app

namespace std {
template <>
struct tuple_size<app::Hidden> : integral_constant<size_t, 2> {};
template <size_t I>
struct tuple_element<I, app::Hidden> {
	using type = uint32_t;
};
} // namespace std

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
