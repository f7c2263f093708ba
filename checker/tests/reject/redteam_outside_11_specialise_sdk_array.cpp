// expect: sdk-internal sdk-specialization
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/11_specialise_sdk_array.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. outside: an explicit specialisation of
// netext::array<uint8_t, 200> with 1 byte of storage (befriending the SDK's array_access like the
// real one): load_bytes trusts N = 200 and copies 128 packet bytes into 1 byte of stack. The native
// gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set here.
#include <netext/xdp.hpp>

template <>
class netext::array<uint8_t, 200> {
	uint8_t elems_[1] = {};
	friend struct netext::detail::array_access;

public:
	static constexpr std::size_t size() noexcept { return 200; }
};

using namespace netext;

NETEXT_XDP(spec_array)
{
	array<uint8_t, 200> tiny{};
	uint64_t canary = 0;
	(void)ctx.load_bytes<0, 127>(14, tiny, 0, 128);
	(void)ctx.packet().store(0, canary);
	return XdpAction::Pass;
}
