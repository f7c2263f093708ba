// netext: attach, inspect and detach netext apps. Commands and their options are
// declared in one table (kCommands), from which parsing and help text both come.
#include <netext/loader/app.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/build.hpp>
#include <netext/loader/command.hpp>
#include <netext/loader/embedded.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>
#include <netext/loader/object.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <xdp/libxdp.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <net/if.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#ifndef NETEXT_VERSION
#define NETEXT_VERSION "0.0.0"
#endif

using json = nlohmann::json;
using namespace netext;
using namespace netext::loader;

namespace {

enum class Backend { Ebpf, Native };
enum class BuildBackend { Ebpf, Native, Both };

const std::vector<Command> &commands();
std::vector<Command> core_commands();

[[noreturn]] void usage_error(const std::string &msg)
{
	throw Error("netext: " + msg, ExitCode::Usage);
}

// ---- output helpers ----------------------------------------------------------------

std::string hook_list(const Attachment &a)
{
	std::string s;
	for (const HookState &h : a.hooks) {
		if (!s.empty())
			s += ", ";
		s += to_string(h.hook);
		if (h.hook == HookPoint::Xdp)
			s += "(" + a.xdp_mode + ")";
		s += " id " + std::to_string(h.prog_id);
	}
	return s;
}

std::string time_text(int64_t t)
{
	char buf[32];
	std::time_t tt = static_cast<std::time_t>(t);
	std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", std::localtime(&tt));
	return buf;
}

json attachment_json(const Attachment &a)
{
	json hooks = json::array();
	for (const HookState &h : a.hooks) {
		json j = {{"hook", to_string(h.hook)},
			  {"program", h.program},
			  {"prog_id", h.prog_id}};
		if (h.hook == HookPoint::Xdp) {
			j["mode"] = a.xdp_mode;
			j["dispatcher"] = a.dispatcher;
		}
		hooks.push_back(j);
	}
	return {{"ifname", a.ifname},	{"ifindex", a.ifindex},
		{"netns", a.netns},	{"app", a.app},
		{"source", a.source},	{"backend", a.backend},
		{"hooks", hooks},	{"maps", a.maps},
		{"config", a.config},	{"attached_at", a.attached_at},
		{"pin_dir", a.pin_dir}, {"live", a.live},
		{"note", a.note}};
}

// The XDP programs on an interface, as libxdp sees them (like `xdp-loader status`).
json xdp_programs(uint32_t ifindex, const std::vector<Attachment> &ours)
{
	json out = json::array();
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
	if (!mp || libxdp_get_error(mp))
		return out;
	auto owner = [&](uint32_t id) {
		for (const Attachment &a : ours)
			for (const HookState &h : a.hooks)
				if (h.prog_id == id)
					return a.app;
		return std::string();
	};
	const char *mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB ? "skb" : "native";
	if (xdp_multiprog__is_legacy(mp)) {
		xdp_program *p = xdp_multiprog__main_prog(mp);
		out.push_back({{"name", xdp_program__name(p)},
			       {"id", xdp_program__id(p)},
			       {"priority", nullptr},
			       {"mode", mode},
			       {"dispatcher", false},
			       {"netext_app", owner(xdp_program__id(p))}});
	} else {
		for (xdp_program *p = xdp_multiprog__next_prog(nullptr, mp); p;
		     p = xdp_multiprog__next_prog(p, mp))
			out.push_back({{"name", xdp_program__name(p)},
				       {"id", xdp_program__id(p)},
				       {"priority", xdp_program__run_prio(p)},
				       {"mode", mode},
				       {"dispatcher", true},
				       {"netext_app", owner(xdp_program__id(p))}});
	}
	xdp_multiprog__close(mp);
	return out;
}

// ---- typed map values ----------------------------------------------------------------

std::string format_fields(const std::vector<Field> &fields, const uint8_t *p, std::size_t size)
{
	if (fields.empty()) {
		std::string s = "hex:";
		char b[3];
		for (std::size_t i = 0; i < size; i++) {
			std::snprintf(b, sizeof(b), "%02x", p[i]);
			s += b;
		}
		return s;
	}
	std::string s;
	for (const Field &f : fields) {
		if (!s.empty())
			s += " ";
		if (!f.name.empty()) // a plain integer key or value has no field name
			s += f.name + "=";
		const uint8_t *q = p + f.offset;
		uint64_t v = 0;
		char buf[64];
		switch (f.type) {
		case Field::Type::U8:
			v = q[0];
			s += std::to_string(v);
			break;
		case Field::Type::U16:
			std::memcpy(&v, q, 2);
			s += std::to_string(v);
			break;
		case Field::Type::U32:
			std::memcpy(&v, q, 4);
			s += std::to_string(v);
			break;
		case Field::Type::U64:
			std::memcpy(&v, q, 8);
			s += std::to_string(v);
			break;
		case Field::Type::Be16: s += std::to_string(q[0] << 8 | q[1]); break;
		case Field::Type::Be32:
			s += std::to_string(static_cast<uint32_t>(q[0]) << 24 | q[1] << 16 |
					    q[2] << 8 | q[3]);
			break;
		case Field::Type::Ipv4:
			inet_ntop(AF_INET, q, buf, sizeof(buf));
			s += buf;
			break;
		case Field::Type::Ipv6:
			inet_ntop(AF_INET6, q, buf, sizeof(buf));
			s += buf;
			break;
		case Field::Type::Mac:
			std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", q[0], q[1],
				      q[2], q[3], q[4], q[5]);
			s += buf;
			break;
		case Field::Type::Bytes: s += format_fields({}, q, f.size); break;
		}
	}
	return s;
}

// Parses "hex:..." (any map), a number (a one-field integer key/value), or
// "name=value,name=value" (integer fields).
std::vector<uint8_t> parse_typed(const std::vector<Field> &fields, const std::string &text,
				 std::size_t size, const char *what)
{
	std::vector<uint8_t> out(size, 0);
	auto bad = [&](const std::string &why) {
		usage_error(std::string("cannot parse ") + what + " '" + text + "': " + why +
			    " (give hex:<" + std::to_string(size) + " bytes in hex>" +
			    (fields.empty() ? "" : ", or field=value pairs") + ")");
	};
	if (text.starts_with("hex:")) {
		std::string hex = text.substr(4);
		if (hex.size() != size * 2)
			bad("expected " + std::to_string(size * 2) + " hex digits");
		for (std::size_t i = 0; i < size; i++) {
			try {
				out[i] = static_cast<uint8_t>(
					std::stoul(hex.substr(i * 2, 2), nullptr, 16));
			} catch (const std::exception &) {
				bad("not hex");
			}
		}
		return out;
	}
	if (fields.empty())
		bad("this map's types are not declared");
	auto put = [&](const Field &f, const std::string &v) {
		uint64_t n;
		try {
			std::size_t used;
			n = std::stoull(v, &used, 0);
			if (used != v.size())
				bad("'" + v + "' is not a number");
		} catch (const std::exception &) {
			bad("'" + v + "' is not a number");
		}
		std::size_t w = f.type == Field::Type::U8    ? 1
				: f.type == Field::Type::U16 ? 2
				: f.type == Field::Type::U32 ? 4
				: f.type == Field::Type::U64 ? 8
							     : 0;
		if (w == 0)
			bad("field '" + f.name + "' takes hex only");
		std::memcpy(out.data() + f.offset, &n, w);
	};
	if (fields.size() == 1 && text.find('=') == std::string::npos) {
		put(fields[0], text);
		return out;
	}
	std::size_t pos = 0;
	while (pos < text.size()) {
		std::size_t comma = text.find(',', pos);
		std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos
									       : comma - pos);
		pos = comma == std::string::npos ? text.size() : comma + 1;
		std::size_t eq = item.find('=');
		if (eq == std::string::npos)
			bad("expected field=value");
		const Field *f = nullptr;
		for (const Field &x : fields)
			if (x.name == item.substr(0, eq))
				f = &x;
		if (!f)
			bad("no field '" + item.substr(0, eq) + "'");
		put(*f, item.substr(eq + 1));
	}
	return out;
}

struct MapInfo {
	bpf_map_info info{};
	bool per_cpu = false;
	std::size_t cpus = 1;
	std::size_t stride = 0; // bytes per CPU value in syscall buffers
};

MapInfo map_info(int fd)
{
	MapInfo m;
	uint32_t len = sizeof(m.info);
	if (bpf_obj_get_info_by_fd(fd, &m.info, &len) != 0)
		throw Error("netext: cannot inspect map: " + std::string(std::strerror(errno)));
	m.per_cpu = m.info.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		    m.info.type == BPF_MAP_TYPE_PERCPU_HASH ||
		    m.info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	m.cpus = m.per_cpu ? static_cast<std::size_t>(possible_cpus()) : 1;
	m.stride = m.per_cpu ? (m.info.value_size + 7) / 8 * 8 : m.info.value_size;
	return m;
}

// Fields of a map's key or value from its BTF (apps that are not built in declare
// nothing else): an integer, or a struct's integer members. Empty if it is anything else.
std::vector<Field> fields_from_btf(const btf *b, uint32_t type_id)
{
	std::vector<Field> out;
	if (!b || type_id == 0)
		return out;
	auto int_field = [](const btf_type *t, std::string name, uint32_t offset,
			    std::vector<Field> &fields) {
		if (!btf_is_int(t) || btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8)
			return false;
		Field::Type ft = t->size == 1	? Field::Type::U8
				 : t->size == 2 ? Field::Type::U16
				 : t->size == 4 ? Field::Type::U32
						: Field::Type::U64;
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
			return false;
		fields.push_back({std::move(name), ft, offset, t->size});
		return true;
	};
	int32_t id = btf__resolve_type(b, type_id);
	if (id < 0)
		return out;
	const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(id));
	if (int_field(t, "", 0, out))
		return out;
	if (!btf_is_struct(t))
		return out;
	const btf_member *m = btf_members(t);
	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		uint32_t bits = btf_member_bit_offset(t, i);
		int32_t mid = btf__resolve_type(b, m->type);
		if (mid < 0 || bits % 8 != 0 || btf_member_bitfield_size(t, i) != 0)
			continue;
		int_field(btf__type_by_id(b, static_cast<uint32_t>(mid)),
			  btf__name_by_offset(b, m->name_off), bits / 8, out);
	}
	return out;
}

// Sums per-CPU values field by field (integer fields), or returns the single value.
std::vector<uint8_t> summed(const MapInfo &m, const std::vector<Field> &fields,
			    const std::vector<uint8_t> &raw)
{
	std::vector<uint8_t> out(raw.begin(), raw.begin() + m.info.value_size);
	if (!m.per_cpu)
		return out;
	for (const Field &f : fields) {
		if (f.type != Field::Type::U64 && f.type != Field::Type::U32)
			continue;
		std::size_t w = f.type == Field::Type::U64 ? 8 : 4;
		uint64_t total = 0;
		for (std::size_t c = 0; c < m.cpus; c++) {
			uint64_t v = 0;
			std::memcpy(&v, raw.data() + c * m.stride + f.offset, w);
			total += v;
		}
		std::memcpy(out.data() + f.offset, &total, w);
	}
	return out;
}

// ---- commands ------------------------------------------------------------------------

Attachment find_attachment(const std::string &ifname, const std::string &app)
{
	std::vector<Attachment> all = attachments(ifname);
	if (if_nametoindex(ifname.c_str()) == 0 && all.empty())
		throw Error("netext: interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	for (Attachment &a : all)
		if (a.app == app)
			return a;
	throw Error("netext: app '" + app + "' is not attached to " + ifname +
			    " (see 'netext status')",
		    ExitCode::NotFound);
}

int cmd_attach(const CommandLine &args)
{
	AttachRequest req;
	req.ifname = args.args[0];
	req.app = args.args[1];
	if (auto m = args.options.choice<XdpMode>("mode"))
		req.mode = *m;
	if (auto b = args.options.choice<Backend>("backend"))
		req.backend = *b == Backend::Native ? "native" : "ebpf";
	for (const auto &[key, value] : args.options.assignments("set"))
		req.sets[key] = value;
	Attachment a = attach(req);
	std::printf("attached %s to %s: %s%s\n", a.app.c_str(), a.ifname.c_str(),
		    hook_list(a).c_str(), a.backend == "native" ? " (native)" : "");
	if (!a.note.empty())
		std::printf("note: %s\n", a.note.c_str());
	return 0;
}

int cmd_detach(const CommandLine &args)
{
	std::string app = args.args.size() > 1 ? args.args[1] : "";
	for (const Attachment &a : detach(args.args[0], app))
		std::printf("detached %s from %s\n", a.app.c_str(), a.ifname.c_str());
	return 0;
}

int cmd_status(const CommandLine &args)
{
	std::string ifname = args.args.empty() ? "" : args.args[0];
	if (!ifname.empty() && if_nametoindex(ifname.c_str()) == 0 && attachments(ifname).empty())
		throw Error("netext: interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	std::vector<Attachment> all = attachments(ifname);
	// Interfaces to report: the one asked for, or every interface with XDP or netext.
	std::vector<std::pair<std::string, uint32_t>> ifaces;
	if (!ifname.empty()) {
		ifaces.emplace_back(ifname, if_nametoindex(ifname.c_str()));
	} else {
		if (struct if_nameindex *ni = if_nameindex()) {
			for (struct if_nameindex *p = ni; p->if_index != 0; p++)
				ifaces.emplace_back(p->if_name, p->if_index);
			if_freenameindex(ni);
		}
	}
	json j = {{"attachments", json::array()}, {"interfaces", json::array()}};
	for (const Attachment &a : all)
		j["attachments"].push_back(attachment_json(a));
	for (const auto &[name, idx] : ifaces) {
		json progs = idx ? xdp_programs(idx, all) : json::array();
		const std::string &iface =
			name; // a lambda may not capture a structured binding in clang 14
		bool has_netext = std::any_of(all.begin(), all.end(), [&](const Attachment &a) {
			return a.ifname == iface;
		});
		if (!ifname.empty() || !progs.empty() || has_netext)
			j["interfaces"].push_back(
				{{"ifname", name}, {"ifindex", idx}, {"xdp", progs}});
	}
	if (args.options.flag("json")) {
		std::printf("%s\n", j.dump(2).c_str());
		return 0;
	}
	std::printf("%-16s %-12s %-8s %-7s %-20s %s\n", "Interface", "App", "Backend", "State",
		    "Attached", "Hooks");
	std::printf("%s\n", std::string(100, '-').c_str());
	if (all.empty())
		std::printf("(no netext apps attached%s)\n",
			    ifname.empty() ? "" : (" to " + ifname).c_str());
	for (const Attachment &a : all) {
		std::printf("%-16s %-12s %-8s %-7s %-20s %s\n", a.ifname.c_str(), a.app.c_str(),
			    a.backend.c_str(), a.live ? "ok" : "STALE",
			    time_text(a.attached_at).c_str(), hook_list(a).c_str());
		if (!a.note.empty())
			std::printf("%-16s note: %s\n", "", a.note.c_str());
		for (const auto &[k, v] : a.config)
			std::printf("%-16s set %s=%s\n", "", k.c_str(), v.c_str());
	}
	std::printf("\n%-16s %-5s %-24s %-7s %-8s %s\n", "Interface", "Prio", "XDP program", "Mode",
		    "ID", "Owner");
	std::printf("%s\n", std::string(100, '-').c_str());
	for (const json &i : j["interfaces"]) {
		if (i["xdp"].empty()) {
			std::printf("%-16s %s\n", i["ifname"].get<std::string>().c_str(),
				    "<no XDP program>");
			continue;
		}
		for (const json &p : i["xdp"]) {
			std::string prio = p["priority"].is_null()
						   ? "-"
						   : std::to_string(p["priority"].get<int>());
			std::string owner =
				p["netext_app"].get<std::string>().empty()
					? (p["dispatcher"].get<bool>() ? "libxdp"
								       : "legacy (not libxdp)")
					: "netext " + p["netext_app"].get<std::string>();
			std::printf("%-16s %-5s %-24s %-7s %-8u %s\n",
				    i["ifname"].get<std::string>().c_str(), prio.c_str(),
				    p["name"].get<std::string>().c_str(),
				    p["mode"].get<std::string>().c_str(), p["id"].get<uint32_t>(),
				    owner.c_str());
		}
	}
	return 0;
}

volatile std::sig_atomic_t g_stop = 0;

int cmd_stats(const CommandLine &args)
{
	Attachment a = find_attachment(args.args[0], args.args[1]);
	AppDescriptor d = descriptor_of(a);
	if (d.stats.map.empty())
		throw Error("netext: app '" + a.app + "' declares no stats (try 'netext map " +
				    a.ifname + " " + a.app + " dump MAP')",
			    ExitCode::NotFound);
	int fd = open_pinned_map(a, d.stats.map);
	double watch = args.options.seconds("watch").value_or(0);
	long count = static_cast<long>(args.options.count("count").value_or(0));
	std::signal(SIGINT, [](int) { g_stop = 1; });
	std::signal(SIGTERM, [](int) { g_stop = 1; });
	std::vector<std::vector<uint64_t>> previous;
	for (long round = 0; !g_stop; round++) {
		std::vector<std::vector<uint64_t>> rows;
		for (uint32_t slot = 0; slot < d.stats.slots.size(); slot++)
			rows.push_back(map_u64_sums(fd, slot, d.stats.counters.size()));
		if (args.options.flag("json")) {
			json out = {{"ifname", a.ifname},
				    {"app", a.app},
				    {"time", std::time(nullptr)},
				    {"stats", json::array()}};
			for (std::size_t i = 0; i < rows.size(); i++) {
				json row = {{"slot", d.stats.slots[i]}};
				for (std::size_t k = 0; k < rows[i].size(); k++)
					row[d.stats.counters[k]] = rows[i][k];
				out["stats"].push_back(row);
			}
			std::printf("%s\n", watch > 0 ? out.dump().c_str() : out.dump(2).c_str());
		} else {
			std::printf("%s on %s%s\n", a.app.c_str(), a.ifname.c_str(),
				    watch > 0 ? (" at " + time_text(std::time(nullptr))).c_str()
					      : "");
			std::printf("  %-28s", "");
			for (const std::string &c : d.stats.counters)
				std::printf(" %14s", c.c_str());
			if (watch > 0 && !previous.empty())
				for (const std::string &c : d.stats.counters)
					std::printf(" %14s", (c + "/s").c_str());
			std::printf("\n");
			for (std::size_t i = 0; i < rows.size(); i++) {
				bool zero = std::all_of(rows[i].begin(), rows[i].end(),
							[](uint64_t v) { return v == 0; });
				if (zero && !args.options.flag("all"))
					continue;
				std::printf("  %-28s", d.stats.slots[i].c_str());
				for (uint64_t v : rows[i])
					std::printf(" %14lu", v);
				if (watch > 0 && !previous.empty())
					for (std::size_t k = 0; k < rows[i].size(); k++)
						std::printf(" %14.1f",
							    static_cast<double>(rows[i][k] -
										previous[i][k]) /
								    watch);
				std::printf("\n");
			}
		}
		std::fflush(stdout);
		previous = rows;
		if (watch <= 0 || (count > 0 && round + 1 >= static_cast<long>(count)))
			break;
		for (double slept = 0; slept < watch && !g_stop; slept += 0.1)
			std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	close(fd);
	return 0;
}

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
			throw Error("netext: no entry for key " + args.args[4] + " in map '" +
					    name + "'",
				    ExitCode::NotFound);
		print_entry(entry_json(key, raw));
		return 0;
	}
	if (op == "delete") {
		if (bpf_map_delete_elem(fd, key.data()) != 0)
			throw Error("netext: cannot delete key " + args.args[4] + " from '" + name +
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
		throw Error("netext: cannot update '" + name + "': " + std::strerror(errno));
	std::printf("updated\n");
	return 0;
}

int cmd_apps(const CommandLine &args)
{
	json out = json::array();
	for (const AppDescriptor &d : builtin_apps()) {
		json hooks = json::array(), knobs = json::array();
		for (const HookSpec &h : d.hooks)
			hooks.push_back({{"hook", to_string(h.hook)}, {"program", h.program}});
		for (const Knob &k : d.knobs)
			knobs.push_back({{"name", k.name},
					 {"summary", k.summary},
					 {"min", k.min},
					 {"max", k.max}});
		out.push_back({{"name", d.name},
			       {"summary", d.summary},
			       {"hooks", hooks},
			       {"settings", knobs}});
	}
	if (args.options.flag("json")) {
		std::printf("%s\n", out.dump(2).c_str());
		return 0;
	}
	for (const json &a : out) {
		std::string hooks;
		for (const json &h : a["hooks"])
			hooks += (hooks.empty() ? "" : ", ") + h["hook"].get<std::string>();
		std::printf("%-10s %s [%s]\n", a["name"].get<std::string>().c_str(),
			    a["summary"].get<std::string>().c_str(), hooks.c_str());
		for (const json &k : a["settings"])
			std::printf("%-10s   --set %s=N  %s\n", "",
				    k["name"].get<std::string>().c_str(),
				    k["summary"].get<std::string>().c_str());
	}
	return 0;
}

int cmd_build(const CommandLine &args)
{
	BuildRequest req;
	req.sources = args.args;
	if (auto n = args.options.text("name"))
		req.name = *n;
	if (auto b = args.options.choice<BuildBackend>("backend"))
		req.backend = *b == BuildBackend::Ebpf	   ? "ebpf"
			      : *b == BuildBackend::Native ? "native"
							   : "both";
	if (auto o = args.options.text("output"))
		req.out_dir = *o;
	req.verbose = args.options.flag("verbose");
	std::printf("building %s for %s...\n", req.sources[0].c_str(),
		    req.backend == "both" ? "ebpf and native" : req.backend.c_str());
	std::fflush(stdout);
	BuiltApp b = build_app(req);
	std::string backends;
	for (const std::string &x : b.backends)
		backends += (backends.empty() ? "" : ", ") + x;
	std::printf("built app %s in %s (backends: %s%s)\n", b.name.c_str(), b.dir.c_str(),
		    backends.c_str(),
		    b.kernel_release.empty() ? "" : ("; module for " + b.kernel_release).c_str());
	std::printf("attach it with: netext attach IFACE %s%s\n", b.dir.c_str(),
		    b.has("native") ? " [--backend native]" : "");
	return 0;
}

int cmd_help(const CommandLine &args);

// The CLI's own commands, then the commands the embedded apps declare (before 'build').
const std::vector<Command> &commands()
{
	static const std::vector<Command> cmds = [] {
		std::vector<Command> all = core_commands();
		auto at = all.begin() + 5; // after 'map'
		for (const AppDescriptor &d : builtin_apps())
			for (const Command &c : d.commands)
				at = all.insert(at, c) + 1;
		return all;
	}();
	return cmds;
}

std::vector<Command> core_commands()
{
	return {
		{"attach",
		 "IFACE APP [--mode native|skb|auto] [--backend ebpf|native] [--set KEY=VALUE]...",
		 "attach all of an app's programs to an interface",
		 "APP is a built-in app (see 'netext apps'), a directory made by 'netext build',\n"
		 "or the path of an eBPF object file.\n"
		 "XDP programs go through libxdp's dispatcher, so other libxdp programs keep "
		 "running;\n"
		 "tc programs go on a clsact qdisc (created if absent). Either every hook is "
		 "attached\n"
		 "or, on any error, none is. State is pinned under /sys/fs/bpf/netext/.\n"
		 "--backend native runs the app's native module (netext_app_APP.ko) through "
		 "netext.ko,\nloading both if needed (from $NETEXT_MODULE_DIR, the installed or "
		 "the build\ndirectory); detach unloads what attach loaded.",
		 {{"mode",
		   'm',
		   "MODE",
		   Option::Type::Choice,
		   "XDP mode: native, skb, or auto (native, else skb; default)",
		   1,
		   UINT64_MAX,
		   {{"native", int(XdpMode::Native)},
		    {"drv", int(XdpMode::Native)},
		    {"skb", int(XdpMode::Skb)},
		    {"generic", int(XdpMode::Skb)},
		    {"auto", int(XdpMode::Auto)}},
		   "XDP mode",
		   "use native, skb or auto"},
		  {"backend",
		   'b',
		   "BACKEND",
		   Option::Type::Choice,
		   "ebpf (the app's eBPF programs; default) or native (its kernel module)",
		   1,
		   UINT64_MAX,
		   {{"ebpf", int(Backend::Ebpf)}, {"native", int(Backend::Native)}},
		   "backend",
		   "ebpf or native"},
		  {"set", 's', "KEY=VALUE", Option::Type::Assignment,
		   "set a configuration knob before loading (repeatable)"}},
		 2,
		 2,
		 cmd_attach},
		{"detach",
		 "IFACE [APP]",
		 "detach an app (or every netext app) from an interface",
		 "Removes the app's hooks, its pins, and the clsact qdisc if netext created it "
		 "and\n"
		 "nothing else of netext still uses it.",
		 {},
		 1,
		 2,
		 cmd_detach},
		{"status",
		 "[IFACE] [--json]",
		 "show netext attachments and the XDP programs of interfaces",
		 "",
		 {json_option()},
		 0,
		 1,
		 cmd_status},
		{"stats",
		 "IFACE APP [--json] [--watch SECONDS [--count N]] [--all]",
		 "show an app's counters, summed over CPUs",
		 "With --watch, prints every SECONDS (with per-second rates) until interrupted or "
		 "N times.",
		 {json_option(),
		  {"watch", 'w', "SECONDS", Option::Type::Seconds, "print again every SECONDS"},
		  {"count", 'c', "N", Option::Type::Count, "with --watch, stop after N prints"},
		  {"all", 'a', nullptr, Option::Type::Flag, "also show counters that are zero"}},
		 2,
		 2,
		 cmd_stats},
		{"map",
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
		 cmd_map},
		{"build",
		 "APP.cpp [MORE.cpp...] [--backend ebpf|native|both] [-o DIR] [--name NAME]",
		 "build your own app (outside netext's source tree) for attach",
		 "Compiles the app's sources (one translation unit; its headers next to the first "
		 "one)\nwith the installed netext SDK: to an eBPF object, and for native also "
		 "through\nnetext-check (the safe subset), the static stack bound and kbuild into "
		 "a module\nfor the kernel the installed netext.ko is built for. A rejected app "
		 "builds\nnothing. DIR (default NAME.netext) gets NAME.bpf.o, netext_app_NAME.ko "
		 "and\nnetext-app.json; 'netext attach IFACE DIR' runs it. Needs cmake, clang-16 "
		 "and,\nfor native, g++-12, make and the kernel's headers.",
		 {{"backend",
		   'b',
		   "BACKEND",
		   Option::Type::Choice,
		   "ebpf (default), native (the module, with the eBPF object that declares the "
		   "maps) or both",
		   1,
		   UINT64_MAX,
		   {{"ebpf", int(BuildBackend::Ebpf)},
		    {"native", int(BuildBackend::Native)},
		    {"both", int(BuildBackend::Both)}},
		   "backend",
		   "ebpf, native or both"},
		  {"output", 'o', "DIR", Option::Type::Text,
		   "where to put the build (default NAME.netext)"},
		  {"name", 0, "NAME", Option::Type::Text,
		   "the app's name (default: the first source's stem)"},
		  {"verbose", 'v', nullptr, Option::Type::Flag,
		   "show the build's output also on success"}},
		 1,
		 64,
		 cmd_build},
		{"apps", "[--json]", "list the built-in apps", "", {json_option()}, 0, 0, cmd_apps},
		{"help", "[COMMAND]", "show help for netext or a command", "", {}, 0, 1, cmd_help},
	};
}

void print_usage(FILE *out)
{
	std::fprintf(out, "Usage: netext [-n NETNS] COMMAND [ARGS]\n\n"
			  "Attach and inspect netext data-plane extensions (XDP and tc programs "
			  "written in C++).\n\n"
			  "Commands:\n");
	for (const Command &c : commands())
		std::fprintf(out, "  %-8s %s\n", c.name.c_str(), c.summary.c_str());
	std::fprintf(
		out,
		"\nGlobal options:\n"
		"  -n, --netns NETNS  act in network namespace NETNS (like 'ip -n')\n"
		"  -h, --help         show this help ('netext COMMAND --help' for a command)\n"
		"  -V, --version      show the version\n\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 3 permission, 4 not found, 5 conflict,\n"
		"6 no usable bpffs.\n");
}

void print_command_help(const Command &c)
{
	std::fputs(command_help(c).c_str(), stdout);
}

int cmd_help(const CommandLine &args)
{
	if (args.args.empty()) {
		print_usage(stdout);
		return 0;
	}
	for (const Command &c : commands())
		if (args.args[0] == c.name) {
			print_command_help(c);
			return 0;
		}
	usage_error("unknown command '" + args.args[0] + "' (see 'netext --help')");
}

int run(int argc, char **argv)
{
	std::vector<std::string> rest(argv + 1, argv + argc);
	std::optional<std::string> netns;
	while (!rest.empty() && rest[0].starts_with("-")) {
		if (rest[0] == "-h" || rest[0] == "--help") {
			print_usage(stdout);
			return 0;
		}
		if (rest[0] == "-V" || rest[0] == "--version") {
			std::printf("netext %s (libbpf %s, libxdp)\n", NETEXT_VERSION,
				    libbpf_version_string());
			return 0;
		}
		if (rest[0] == "-n" || rest[0] == "--netns") {
			if (rest.size() < 2)
				usage_error("-n needs a network namespace name");
			netns = rest[1];
			rest.erase(rest.begin(), rest.begin() + 2);
			continue;
		}
		usage_error("unknown option '" + rest[0] + "' (see 'netext --help')");
	}
	if (rest.empty()) {
		print_usage(stderr);
		return static_cast<int>(ExitCode::Usage);
	}
	for (const Command &c : commands()) {
		if (rest[0] != c.name)
			continue;
		std::optional<CommandLine> args = parse_command_line(c, std::span(rest).subspan(1));
		if (!args) {
			print_command_help(c);
			return 0;
		}
		std::unique_ptr<NetnsScope> scope;
		if (netns)
			scope = std::make_unique<NetnsScope>(*netns);
		return c.run(*args);
	}
	usage_error("unknown command '" + rest[0] + "' (see 'netext --help')");
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return run(argc, argv);
	} catch (const Error &e) {
		std::fprintf(stderr, "%s\n", e.what());
		return static_cast<int>(e.code());
	} catch (const std::exception &e) {
		std::fprintf(stderr, "netext: %s\n", e.what());
		return static_cast<int>(ExitCode::Failure);
	}
}
