// expect: sdk-specialization
// Overloads added to namespace std (the tuple protocol's get, swap) are picked by the
// library's templates for the app's type.
#include <netext/xdp.hpp>

#include <utility>

namespace app {
struct Opaque {
	uint64_t bits;
};
} // namespace app

namespace std {
template <size_t I>
constexpr uint64_t &get(app::Opaque &o) noexcept
{
	return o.bits;
}
inline void swap(app::Opaque &a, app::Opaque &b) noexcept
{
	a.bits ^= b.bits;
}
} // namespace std

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
