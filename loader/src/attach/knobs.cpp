// Attach, step 3: the knobs (`--set NAME=VALUE`), each checked against the app's
// descriptor and written into the object's .rodata (the verifier then sees constants) or
// used as a map's size; for the native backend, also into the app module's parameters.
#include "plan.hpp"

#include <netext/loader/error.hpp>
#include <netext/loader/rodata.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace netext::loader::attach_steps {

namespace {

uint64_t parse_number(const std::string &knob, const std::string &v);

bool is_prime_number(uint64_t n)
{
	if (n < 2)
		return false;
	for (uint64_t d = 2; d * d <= n; d++)
		if (n % d == 0)
			return false;
	return true;
}

uint64_t parse_knob_value(const Knob &k, const std::string &v)
{
	if (k.format == Knob::Format::Ipv4) {
		in_addr a{};
		if (inet_pton(AF_INET, v.c_str(), &a) != 1)
			throw Error("--set " + k.name + "=" + v + ": '" + v +
					    "' is not an IPv4 address (e.g. 198.19.0.0)",
				    ExitCode::Usage);
		return ntohl(a.s_addr);
	}
	if (k.format == Knob::Format::Ipv6Prefix64) {
		in6_addr a{};
		if (inet_pton(AF_INET6, v.c_str(), &a) != 1)
			throw Error("--set " + k.name + "=" + v + ": '" + v +
					    "' is not an IPv6 address (e.g. 2001:db8:0:ffff::)",
				    ExitCode::Usage);
		uint64_t hi = 0, lo = 0;
		for (int i = 0; i < 8; i++) {
			hi = hi << 8 | a.s6_addr[i];
			lo = lo << 8 | a.s6_addr[8 + i];
		}
		if (lo != 0)
			throw Error(
				"--set " + k.name + "=" + v +
					": a /64 prefix is needed; the last 64 bits must be zero",
				ExitCode::Usage);
		return hi;
	}
	uint64_t n = parse_number(k.name, v);
	if (k.prime && !is_prime_number(n))
		throw Error("--set " + k.name + "=" + v + ": " + v +
				    " is not a prime number (Maglev needs a prime table size; e.g. "
				    "65537, 32771, 16381, 4093, 251)",
			    ExitCode::Usage);
	return n;
}

uint64_t parse_number(const std::string &knob, const std::string &v)
{
	try {
		std::size_t used = 0;
		uint64_t n = std::stoull(v, &used, 0);
		if (used == v.size() && !v.empty() && v[0] != '-')
			return n;
	} catch (const std::exception &) {
	}
	throw Error("--set " + knob + "=" + v + ": '" + v +
			    "' is not a non-negative integer (decimal or 0x hex)",
		    ExitCode::Usage);
}

} // namespace

void apply_knobs(AttachPlan &plan)
{
	bpf_object *obj = plan.obj();
	const AppDescriptor &d = plan.app;
	std::map<std::string, std::string> &applied = plan.record.config;
	const std::map<std::string, std::string> &sets = plan.req.sets;
	for (const auto &[key, value] : sets) {
		const Knob *k = nullptr;
		for (const Knob &kn : d.knobs)
			if (kn.name == key)
				k = &kn;
		if (!k) {
			std::string names;
			for (const Knob &kn : d.knobs)
				names += (names.empty() ? "" : ", ") + kn.name;
			throw Error("app '" + d.name + "' has no setting '" + key + "' (" +
					    (names.empty() ? "it has none" : "settings: " + names) +
					    "; see 'netext apps')",
				    ExitCode::Usage);
		}
		uint64_t n = parse_knob_value(*k, value);
		if (n < k->min || n > k->max)
			throw Error("--set " + key + "=" + value + " is out of range [" +
					    std::to_string(k->min) + ", " + std::to_string(k->max) +
					    "]",
				    ExitCode::Usage);
		if (k->kind == Knob::Kind::MapEntries) {
			bpf_map *m = bpf_object__find_map_by_name(obj, k->map.c_str());
			if (!m || bpf_map__set_max_entries(m, static_cast<uint32_t>(n)) != 0)
				throw Error("cannot size map '" + k->map + "' to " + value);
		}
		// A map-size knob is also written to a read-only variable of the same name, if
		// the program has one (it then knows the size, e.g. to index a hash table).
		std::optional<RodataVar> var = find_rodata_var(obj, key);
		if (k->kind == Knob::Kind::MapEntries && !var) {
			applied[key] = value;
			continue;
		}
		if (!var)
			throw Error("app '" + d.name + "' declares setting '" + key +
				    "' but its object has no such read-only variable (of at most 8 "
				    "bytes)");
		if (var->size < 8 && n >> (var->size * 8) != 0)
			throw Error("--set " + key + "=" + value + " does not fit in " +
					    std::to_string(var->size) + " bytes",
				    ExitCode::Usage);
		if (!var->write(n))
			throw Error("cannot set '" + key + "'");
		applied[key] = value;
	}
}

// The values apply_knobs left in the object's .rodata: the defaults and what --set chose.
void set_native_knobs(const AttachPlan &plan)
{
	const AppDescriptor &d = plan.app;
	for (const Knob &k : d.knobs) {
		std::optional<RodataVar> var;
		if (k.kind != Knob::Kind::Rodata || !(var = find_rodata_var(plan.obj(), k.name)))
			continue;
		uint64_t v = var->read();
		std::string param = "/sys/module/netext_app_" + d.name + "/parameters/" + k.name;
		std::FILE *f = std::fopen(param.c_str(), "w");
		bool ok = f && std::fprintf(f, "%llu\n", static_cast<unsigned long long>(v)) > 0;
		ok = (f && std::fclose(f) == 0) && ok;
		if (!ok && plan.req.sets.contains(k.name))
			throw Error("cannot set '" + k.name + "' of app '" + d.name +
				    "'s native module (" + param + ": " + std::strerror(errno) +
				    "); rebuild the module with this netext");
	}
}

} // namespace netext::loader::attach_steps
