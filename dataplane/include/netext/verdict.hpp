// Verdicts are per hook: an XDP program returns XdpAction, a tc program TcAction, and
// neither converts to the other or to an integer implicitly.
#pragma once

#include <cstdint>

namespace netext {

enum class XdpAction : uint32_t {
	Aborted = 0, // XDP_ABORTED
	Drop = 1,    // XDP_DROP
	Pass = 2,    // XDP_PASS
	Tx = 3,	     // XDP_TX
	Redirect = 4 // XDP_REDIRECT
};

enum class TcAction : int32_t {
	Unspec = -1,	// TC_ACT_UNSPEC: use the qdisc's default
	Ok = 0,		// TC_ACT_OK
	Reclassify = 1, // TC_ACT_RECLASSIFY
	Shot = 2,	// TC_ACT_SHOT
	Pipe = 3,	// TC_ACT_PIPE
	Stolen = 4,	// TC_ACT_STOLEN
	Redirect = 7	// TC_ACT_REDIRECT
};

enum class Hook : uint8_t { Xdp, Tc };

constexpr const char *to_string(XdpAction a) noexcept
{
	switch (a) {
	case XdpAction::Aborted: return "aborted";
	case XdpAction::Drop: return "drop";
	case XdpAction::Pass: return "pass";
	case XdpAction::Tx: return "tx";
	case XdpAction::Redirect: return "redirect";
	}
	return "unknown";
}

} // namespace netext
