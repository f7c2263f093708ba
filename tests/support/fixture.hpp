// The one fixture shape (as Katran's PacketAttributes): a step is a frame in, the verdict
// it must give and the frame that must come out, after an optional change of the app's
// state. Every app's cases are lists of these, built next to the app (apps/<app>/tests)
// or here for the example apps (fixtures.hpp), and the same lists run through all three
// runners: the host runner, BPF_PROG_TEST_RUN on the running kernel, and the native
// differential in the guest (kmod/tests), which also compares eBPF with native byte for
// byte. Header-only and without gtest: the guest binaries are static and built apart.
#pragma once

#include <netext/verdict.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "packet_builder.hpp"

namespace netext::testing {

// The verdict a step expects, as the SDK's types (XdpAction for an XDP program, TcAction for
// a tc one), or none: any verdict (then the runners only compare backends with each other).
class Verdict {
public:
	constexpr Verdict() = default;
	constexpr Verdict(XdpAction a)
		: hook_(Hook::Xdp), raw_(static_cast<int32_t>(a)), any_(false)
	{}
	constexpr Verdict(TcAction a) : hook_(Hook::Tc), raw_(static_cast<int32_t>(a)), any_(false)
	{}

	[[nodiscard]] constexpr bool any() const { return any_; }
	// Whether a run's return value (the host runner's int, BPF_PROG_TEST_RUN's retval) is
	// this verdict.
	[[nodiscard]] constexpr bool matches(int32_t ret) const { return any_ || ret == raw_; }
	[[nodiscard]] constexpr bool matches(uint32_t retval) const
	{
		return matches(static_cast<int32_t>(retval));
	}
	constexpr bool operator==(const Verdict &) const = default;

	// "xdp pass", "tc ok", "any": for messages.
	[[nodiscard]] std::string str() const
	{
		if (any_)
			return "any";
		if (hook_ == Hook::Xdp)
			return std::string("xdp ") + to_string(static_cast<XdpAction>(raw_));
		switch (static_cast<TcAction>(raw_)) {
		case TcAction::Unspec: return "tc unspec";
		case TcAction::Ok: return "tc ok";
		case TcAction::Reclassify: return "tc reclassify";
		case TcAction::Shot: return "tc shot";
		case TcAction::Pipe: return "tc pipe";
		case TcAction::Stolen: return "tc stolen";
		case TcAction::Redirect: return "tc redirect";
		}
		return "tc " + std::to_string(raw_);
	}

private:
	Hook hook_ = Hook::Xdp;
	int32_t raw_ = 0;
	bool any_ = true;
};

// An app without a control plane the fixtures drive (its state changes only by packets).
struct NoControl {};

// One step. `Control` is what `change` is given: the app's control plane on the runner's
// maps (the LB: lb::Balancer), or nothing.
template <class Control = NoControl>
struct Fixture {
	std::string name;
	std::string app;     // the app's name ("echo", "bmc", "lb")
	std::string program; // the program the frame goes through ("echo_xdp", "bmc_tx")
	// Before the frame, in this order: a change of the app's state through its control
	// plane, then a pause (BMC's grace period; the coarse clock keeps time on every backend).
	std::function<void(Control &)> change;
	unsigned wait_ms = 0;
	Bytes input;		     // the frame in; empty: no frame (a change or a pause only)
	Verdict verdict;	     // expected; any() if the step does not say
	std::optional<Bytes> output; // the frame out, byte for byte, if the step says
	// The interface the frame arrives on (the test run's ingress ifindex); "": loopback.
	std::string ifname;
	// The output's source MAC is the egress interface's, known only to the runner: it
	// writes it into `output` before comparing (the LB's redirects after a FIB lookup).
	bool egress_smac = false;

	[[nodiscard]] bool has_frame() const { return !input.empty(); }
};

// Steps run in order on fresh state (the runner empties the app's maps before the first).
template <class Control = NoControl>
struct FixtureScenario {
	std::string name;
	std::vector<Fixture<Control>> steps;
};

// What a runner got for a step's frame.
struct FixtureResult {
	int32_t verdict = 0;
	Bytes output;
};

// "" if `got` is what `f` expects, else what differs (for the runner's message). `smac`:
// the egress interface's MAC where f.egress_smac says so.
template <class Control>
std::string fixture_mismatch(const Fixture<Control> &f, const FixtureResult &got,
			     const Bytes &smac = {})
{
	std::string why;
	if (!f.verdict.matches(got.verdict))
		why = "verdict " + std::to_string(got.verdict) + ", expected " + f.verdict.str();
	if (f.output) {
		Bytes want = *f.output;
		if (f.egress_smac && want.size() >= 12 && smac.size() == 6)
			std::copy(smac.begin(), smac.end(), want.begin() + 6);
		if (got.output != want)
			why += std::string(why.empty() ? "" : "; ") + "output of " +
			       std::to_string(got.output.size()) + " bytes differs from the " +
			       std::to_string(want.size()) + " expected";
	}
	return why;
}

// How many steps of these say something a runner checks (a verdict or an output).
template <class Control>
std::size_t checked_steps(const std::vector<Fixture<Control>> &steps)
{
	std::size_t n = 0;
	for (const Fixture<Control> &f : steps)
		n += f.has_frame() && (!f.verdict.any() || f.output) ? 1 : 0;
	return n;
}

} // namespace netext::testing
