// netext::div and netext::mod run by the eBPF backend (BPF_PROG_TEST_RUN) and by the host
// backend (the native backend's code is the host's: g++, the same header, no backend
// branch) on operands from the packet, compared with the answers eBPF defines: a zero
// divisor gives 0 (div) or the dividend (mod), the most negative value divided by -1
// gives itself (div) or 0 (mod), otherwise C's truncating division.
#include <netext/host/runtime.hpp>
#include <netext/loader/object.hpp>
#include <netext/maps.hpp>

#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <utility>

#include "fixtures.hpp"
#include "kernel_fixture.hpp"

using namespace netext;
using namespace netext::testing;

namespace {

struct DivModResults {
	int64_t sdiv64, smod64;
	uint64_t udiv64, umod64;
	int32_t sdiv32, smod32;
	uint32_t udiv32, umod32;
	bool operator==(const DivModResults &) const = default;
};

// What eBPF defines, computed here with the 128-bit integers the divisions cannot trap in.
template <class T>
std::pair<T, T> reference(T a, T b)
{
	if (b == 0)
		return {T(0), a};
	using W = __int128;
	const W q = W(a) / W(b);
	const W r = W(a) % W(b);
	return {static_cast<T>(static_cast<unsigned __int128>(q)), static_cast<T>(r)};
}

DivModResults expected(uint64_t a, uint64_t b)
{
	DivModResults e{};
	std::tie(e.sdiv64, e.smod64) = reference(static_cast<int64_t>(a), static_cast<int64_t>(b));
	std::tie(e.udiv64, e.umod64) = reference(a, b);
	std::tie(e.sdiv32, e.smod32) = reference(static_cast<int32_t>(static_cast<uint32_t>(a)),
						 static_cast<int32_t>(static_cast<uint32_t>(b)));
	std::tie(e.udiv32, e.umod32) =
		reference(static_cast<uint32_t>(a), static_cast<uint32_t>(b));
	return e;
}

Bytes packet(uint64_t a, uint64_t b)
{
	PacketSpec s;
	s.payload.resize(16);
	std::memcpy(s.payload.data(), &a, 8); // little-endian, as the program loads it
	std::memcpy(s.payload.data() + 8, &b, 8);
	return build(s);
}

const std::pair<uint64_t, uint64_t> kOperands[] = {
	{100, 7},
	{100, 0},
	{0, 0},
	{static_cast<uint64_t>(std::numeric_limits<int64_t>::min()), static_cast<uint64_t>(-1)},
	{0xffffffff80000000u, 0xffffffffffffffffu}, // INT32_MIN / -1 in the low halves too
	{0x80000000u, 0xffffffffu},		    // the same in 32 bits only
	{static_cast<uint64_t>(-7), 2},
	{7, static_cast<uint64_t>(-2)},
	{static_cast<uint64_t>(-7), static_cast<uint64_t>(-2)},
	{static_cast<uint64_t>(-7), 0},
	{0x123456789abcdefu, 0x100000000u}, // zero in the low 32 bits only
	{0xffffffffffffffffu, 3},
	{0x8000000000000000u, 0x8000000000000000u},
};

} // namespace

TEST(DivMod, HostGivesEbpfAnswers)
{
	const host::Program *p = host::find_program("divmod", "divmod_xdp");
	ASSERT_NE(p, nullptr);
	for (auto [a, b] : kOperands) {
		host::RunResult r;
		ASSERT_TRUE(host::run(*p, packet(a, b), r));
		EXPECT_EQ(r.verdict, static_cast<int>(XdpAction::Pass));
		uint32_t k = 0;
		DivModResults got{};
		std::memcpy(&got, host::find_map("divmod", "results")->lookup(&k), sizeof got);
		EXPECT_EQ(got, expected(a, b)) << std::hex << a << " by " << b;
	}
}

TEST(DivMod, EbpfMatches)
{
	NETEXT_REQUIRE_ROOT();
	loader::BpfObject &obj = KernelApps::get("divmod");
	for (auto [a, b] : kOperands) {
		EXPECT_EQ(loader::test_run(obj.program_fd("divmod_xdp"), packet(a, b)).retval,
			  static_cast<uint32_t>(XdpAction::Pass));
		uint32_t k = 0;
		DivModResults got{};
		ASSERT_EQ(bpf_map_lookup_elem(obj.map_fd("results"), &k, &got), 0);
		EXPECT_EQ(got, expected(a, b)) << std::hex << a << " by " << b;
	}
}
