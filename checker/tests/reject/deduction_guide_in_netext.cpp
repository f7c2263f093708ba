// expect: sdk-specialization
// A deduction guide (and a helper) declared in the SDK's own namespace: only the app's own
// netext::<app> namespace may be added there.
#include <netext/array.hpp>
#include <netext/xdp.hpp>

namespace netext {
template <class T>
array(T, T) -> array<T, 2>;

inline uint32_t helper_in_sdk()
{
	return 1;
}
} // namespace netext

NETEXT_XDP(prog)
{
	return netext::helper_in_sdk() ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
