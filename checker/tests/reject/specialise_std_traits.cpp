// expect: sdk-specialization
// Out-of-namespace specialisations of standard templates (numeric_limits, a partial one
// of tuple_size, an explicit instantiation).
#include <netext/xdp.hpp>

#include <limits>
#include <utility>

namespace app {
struct Odd {
	uint32_t v;
};
template <class T>
struct Wrap {
	T v;
};
} // namespace app

template <>
class std::numeric_limits<app::Odd> {
public:
	static constexpr bool is_specialized = true;
	static constexpr uint32_t max() noexcept { return 1; }
};

template <class T>
struct std::tuple_size<app::Wrap<T>> : std::integral_constant<std::size_t, 9> {};

template struct std::pair<uint32_t, uint32_t>;

NETEXT_XDP(prog)
{
	return std::numeric_limits<app::Odd>::max() ? netext::XdpAction::Pass
						    : netext::XdpAction::Drop;
}
