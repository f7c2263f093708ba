// App descriptors: what user space needs to know about an app — which program goes on
// which hook, its configuration knobs, its stats layout, the types of its maps' keys and
// values. Built-in apps register one (apps/<app>/<app>_descriptor.cpp); for a user's own
// object file one is derived from the object (sections and BTF).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <netext/loader/command.hpp>

namespace netext::loader {

enum class HookPoint { Xdp, TcIngress, TcEgress };
const char *to_string(HookPoint h);

struct HookSpec {
	HookPoint hook;
	std::string program;
};

// A field of a map key or value, for typed printing and parsing.
struct Field {
	enum class Type { U8, U16, U32, U64, Be16, Be32, Ipv4, Ipv6, Mac, Bytes };
	std::string name;
	Type type;
	uint32_t offset;
	uint32_t size; // for Bytes
};

struct MapSpec {
	std::string name;
	std::string summary;
	std::vector<Field> key;	  // empty: print as hex
	std::vector<Field> value; // empty: print as hex
};

// A knob set with --set NAME=VALUE: a .rodata variable, or a map's size.
struct Knob {
	enum class Kind { Rodata, MapEntries };
	// How the value is written: an integer (decimal or 0x hex), an IPv4 address (stored
	// as a host-order u32), or an IPv6 /64 prefix (its upper 64 bits as a host-order u64;
	// the lower 64 bits must be zero).
	enum class Format { Integer, Ipv4, Ipv6Prefix64 };
	std::string name;
	std::string summary;
	Kind kind = Kind::Rodata;
	std::string map; // for MapEntries
	uint64_t min = 0, max = UINT64_MAX;
	Format format = Format::Integer;
	bool prime = false; // the value must be a prime number
};

// Stats: a per-CPU array map whose values are u64 counters; slots are labelled, counters
// summed over CPUs for display.
struct StatsSpec {
	std::string map;
	std::vector<std::string> slots;	   // label of each array index
	std::vector<std::string> counters; // names of the u64 fields of each value
};

struct AppDescriptor {
	std::string name;
	std::string summary;
	std::vector<HookSpec> hooks;
	std::vector<Knob> knobs;
	std::vector<MapSpec> maps;
	StatsSpec stats;
	// CLI commands of the app's own (e.g. `netext lb`), offered by every netext CLI that
	// embeds the app (see command.hpp).
	std::vector<Command> commands{};
};

struct AppRegistration {
	explicit AppRegistration(AppDescriptor d);
};

const std::vector<AppDescriptor> &builtin_apps();
// nullptr if no built-in app has that name.
const AppDescriptor *find_builtin_app(std::string_view name);

} // namespace netext::loader
