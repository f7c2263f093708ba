// The LB's whole configuration as one document: what `netext lb IFACE apply FILE` makes true
// and `netext lb IFACE export` prints. The same file given to every LB of a fleet (by
// Ansible, a DaemonSet) gives them the same tables (maglev.hpp), and applying it again
// changes nothing.
//
//   {"vips": [{"vip": "198.18.1.10:80/tcp",
//              "backends": [{"address": "198.18.0.11", "weight": 1, "state": "active"},
//                           {"address": "198.18.0.12", "weight": 3, "state": "draining"}]}]}
//
// "backends" defaults to none, "weight" to 1 (1..65535), "state" to "active" ("draining":
// no new flows, established ones keep it). Any other key is an error: a misspelt field is
// refused, not ignored.
//
//   LbConfig want = parse_config(text, "fleet.json");   // throws naming line and field
//   Balancer lb = Balancer::open("eth0");
//   ConfigPlan plan = apply_config(lb, want);          // plan.empty(): nothing was changed
#pragma once

#include <netext/lb/balancer.hpp>

#include <string>
#include <vector>

namespace netext::lb {

struct VipConfig {
	Service service;
	std::vector<BackendSpec> backends; // sorted by address
	friend bool operator==(const VipConfig &, const VipConfig &) = default;
};

struct LbConfig {
	std::vector<VipConfig> vips; // sorted (family, address, port, protocol)
	friend bool operator==(const LbConfig &, const LbConfig &) = default;
};

// Parses and checks a whole configuration (JSON). Throws netext::Error (usage) whose message
// starts with where: "ORIGIN:LINE:COLUMN: " and, past the syntax, the field's JSON pointer
// ("/vips/0/backends/1/weight: ..."). Duplicate keys, VIPs or backends, a backend of the
// other family, and more VIPs or backends than the lb holds are errors too.
LbConfig parse_config(const std::string &text, const std::string &origin);

// The configuration as JSON, in the canonical order: LBs with the same configuration export
// the same text, and parse_config(format_config(c)) == c.
std::string format_config(const LbConfig &c);

// What the lb holds now.
LbConfig current_config(Balancer &lb);

// One VIP's part of a change.
struct ConfigStep {
	enum Kind { DelVip, SetVip } kind = SetVip;
	VipConfig want;			  // SetVip: its whole new backend list
	std::vector<std::string> changes; // what changes, one line each ("add backend ...")
	int joining = 0, leaving = 0;	  // backend slots taken and freed
};

struct ConfigPlan {
	std::vector<ConfigStep> steps; // in the order they are applied
	uint32_t entries_written = 0;  // Maglev table entries (apply_config only)
	[[nodiscard]] bool empty() const { return steps.empty(); }
};

// The steps from `have` to `want`: VIPs that go first (their slots free), then the others,
// those that free backend slots before those that take them; nothing for a VIP that is as
// wanted. Every change to one VIP is one step (Balancer::set_vip: one table rebuild).
ConfigPlan plan_config(const LbConfig &have, const LbConfig &want);

// Makes `want` the lb's configuration and returns what was done (empty: it already was).
// Throws, with nothing changed, if the lb could not hold the configuration on the way.
ConfigPlan apply_config(Balancer &lb, const LbConfig &want);

} // namespace netext::lb
