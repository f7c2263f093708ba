// `netext map`: list, dump, look up, update and delete an attached app's map entries.
#include "cli.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <netext/loader/error.hpp>
#include <netext/loader/map_codec.hpp>
#include <unistd.h>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

int cmd_map(const CommandLine &args)
{
	Attachment a = find_attachment(args.args[0], args.args[1]);
	AppDescriptor d = descriptor_of(a);
	const std::string &op = args.args[2];
	auto spec_of = [&](const std::string &name) {
		for (const MapSpec &s : d.maps)
			if (s.name == name)
				return s;
		return MapSpec{name, "", {}, {}};
	};
	std::size_t need = op == "list"			      ? 3
			   : op == "dump"		      ? 4
			   : op == "lookup" || op == "delete" ? 5
			   : op == "update"		      ? 6
							      : 0;
	if (need == 0)
		usage_error("unknown map operation '" + op +
			    "' (list, dump, lookup, update, delete)");
	if (args.args.size() != need)
		usage_error("'map " + op + "' takes " + std::to_string(need - 2) +
			    " arguments after IFACE APP (see 'netext map --help')");
	if (op == "list") {
		json out = json::array();
		for (const std::string &name : a.maps) {
			int fd = open_pinned_map(a, name);
			MapInfo m = map_info(fd);
			close(fd);
			out.push_back({{"name", name},
				       {"type", libbpf_bpf_map_type_str(
							static_cast<bpf_map_type>(m.info.type))},
				       {"key_size", m.info.key_size},
				       {"value_size", m.info.value_size},
				       {"max_entries", m.info.max_entries},
				       {"id", m.info.id},
				       {"pinned", a.pin_dir + "/" + name},
				       {"summary", spec_of(name).summary}});
		}
		if (args.options.flag("json")) {
			std::printf("%s\n", out.dump(2).c_str());
			return 0;
		}
		std::printf("%-16s %-16s %5s %6s %9s %6s  %s\n", "Map", "Type", "Key", "Value",
			    "Entries", "ID", "Holds");
		for (const json &m : out)
			std::printf("%-16s %-16s %5u %6u %9u %6u  %s\n",
				    m["name"].get<std::string>().c_str(),
				    m["type"].get<std::string>().c_str(),
				    m["key_size"].get<uint32_t>(), m["value_size"].get<uint32_t>(),
				    m["max_entries"].get<uint32_t>(), m["id"].get<uint32_t>(),
				    m["summary"].get<std::string>().c_str());
		return 0;
	}
	const std::string &name = args.args[3];
	MapSpec spec = spec_of(name);
	int fd = open_pinned_map(a, name);
	std::unique_ptr<int, void (*)(int *)> guard(&fd, [](int *f) { close(*f); });
	MapInfo m = map_info(fd);
	if ((spec.key.empty() || spec.value.empty()) && m.info.btf_id) {
		// not declared by a built-in app: the map's own BTF says what it holds
		std::unique_ptr<btf, void (*)(btf *)> b(btf__load_from_kernel_by_id(m.info.btf_id),
							btf__free);
		if (b && !libbpf_get_error(b.get())) {
			if (spec.key.empty())
				spec.key = fields_from_btf(b.get(), m.info.btf_key_type_id);
			if (spec.value.empty())
				spec.value = fields_from_btf(b.get(), m.info.btf_value_type_id);
		} else {
			(void)b.release(); // an error, not a BTF to free
		}
	}
	// summing needs the value's fields; without them only CPU 0's value is shown
	const char *per_cpu_note = spec.value.empty() ? "  (CPU 0's value; --json shows each CPU's)"
						      : "  (summed over CPUs)";
	auto entry_json = [&](const std::vector<uint8_t> &key, const std::vector<uint8_t> &raw) {
		json e = {{"key", format_fields(spec.key, key.data(), key.size())},
			  {"value", format_fields(spec.value, summed(m, spec.value, raw).data(),
						  m.info.value_size)}};
		if (m.per_cpu) {
			json per = json::array();
			for (std::size_t c = 0; c < m.cpus; c++)
				per.push_back(format_fields(spec.value, raw.data() + c * m.stride,
							    m.info.value_size));
			e["per_cpu"] = per;
		}
		return e;
	};
	auto print_entry = [&](const json &e) {
		if (args.options.flag("json"))
			std::printf("%s\n", e.dump().c_str());
		else
			std::printf("%s: %s%s\n", e["key"].get<std::string>().c_str(),
				    e["value"].get<std::string>().c_str(),
				    m.per_cpu ? per_cpu_note : "");
	};
	if (op == "dump") {
		std::vector<uint8_t> key(m.info.key_size), next(m.info.key_size),
			raw(m.stride * m.cpus);
		void *prev = nullptr;
		json all = json::array();
		while (bpf_map_get_next_key(fd, prev, next.data()) == 0) {
			key = next;
			prev = key.data();
			if (bpf_map_lookup_elem(fd, key.data(), raw.data()) == 0)
				all.push_back(entry_json(key, raw));
		}
		if (args.options.flag("json")) {
			std::printf("%s\n", all.dump(2).c_str());
		} else {
			for (const json &e : all)
				print_entry(e);
			std::printf("%zu entries\n", all.size());
		}
		return 0;
	}
	std::vector<uint8_t> key = parse_typed(spec.key, args.args[4], m.info.key_size, "key");
	if (op == "lookup") {
		std::vector<uint8_t> raw(m.stride * m.cpus);
		if (bpf_map_lookup_elem(fd, key.data(), raw.data()) != 0)
			throw Error("no entry for key " + args.args[4] + " in map '" + name + "'",
				    ExitCode::NotFound);
		print_entry(entry_json(key, raw));
		return 0;
	}
	if (op == "delete") {
		if (bpf_map_delete_elem(fd, key.data()) != 0)
			throw Error("cannot delete key " + args.args[4] + " from '" + name +
					    "': " + std::strerror(errno),
				    errno == ENOENT ? ExitCode::NotFound : ExitCode::Failure);
		std::printf("deleted\n");
		return 0;
	}
	std::vector<uint8_t> value =
		parse_typed(spec.value, args.args[5], m.info.value_size, "value");
	std::vector<uint8_t> raw(m.stride * m.cpus, 0);
	for (std::size_t c = 0; c < m.cpus; c++) // per-CPU maps: the same value on every CPU
		std::memcpy(raw.data() + c * m.stride, value.data(), value.size());
	if (bpf_map_update_elem(fd, key.data(), raw.data(), 0) != 0)
		throw Error("cannot update '" + name + "': " + std::strerror(errno));
	std::printf("updated\n");
	return 0;
}

} // namespace

Command map_command()
{
	return {"map",
		"IFACE APP list | dump MAP | lookup MAP KEY | update MAP KEY VALUE | delete MAP "
		"KEY",
		"inspect and change an attached app's maps",
		"KEY and VALUE are numbers for one-field types, field=value[,field=value] for "
		"declared\n"
		"types, or hex:<bytes> for any map. Per-CPU values are shown summed (--json adds "
		"each\n"
		"CPU's); update writes the value to every CPU.",
		{json_option()},
		3,
		6,
		cmd_map};
}

} // namespace netext::cli
