// The attachment record: an Attachment as JSON in a one-entry array map pinned as
// <pin dir>/state. Attach pins it first, as its journal (phase "attaching", each hook named
// before it is made), rewrites it after every step, and commits it (phase "attached") last;
// every later command reads it. The enums of the API are strings only here (and in the
// CLI's output).
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <netext/loader/netns.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace netext::loader {

const char *to_string(Backend b)
{
	return b == Backend::Native ? "native" : "ebpf";
}

const char *to_string(XdpMode m)
{
	switch (m) {
	case XdpMode::Native: return "native";
	case XdpMode::Skb: return "skb";
	case XdpMode::Auto: break;
	}
	return "auto";
}

const char *to_string(AttachState s)
{
	switch (s) {
	case AttachState::Ok: return "ok";
	case AttachState::Detached: return "detached";
	case AttachState::Replaced: return "replaced";
	case AttachState::InterfaceGone: return "interface-gone";
	case AttachState::Interrupted: return "interrupted";
	case AttachState::NamespaceGone: return "netns-gone";
	case AttachState::CannotTell: break;
	}
	return "unknown";
}

const char *to_string(Source s)
{
	switch (s) {
	case Source::ObjectFile: return "object";
	case Source::BuildDir: return "build";
	case Source::Builtin: break;
	}
	return "builtin";
}

namespace attach_steps {

namespace {

constexpr uint32_t kRecordSize = 4096; // bytes of JSON in the pinned map

json to_json(const Attachment &a)
{
	json hooks = json::array();
	for (const HookState &h : a.hooks)
		hooks.push_back({{"hook", to_string(h.hook)},
				 {"program", h.program},
				 {"prog_id", h.prog_id},
				 {"tc_handle", h.tc_handle},
				 {"tc_priority", h.tc_priority},
				 {"pending", h.pending}});
	return {{"ifname", a.ifname},
		{"ifindex", a.ifindex},
		{"netns", a.netns},
		{"netns_ino", a.netns_ino},
		{"netns_cookie", a.netns_cookie},
		{"attached_ifname", a.attached_ifname},
		{"phase", a.phase},
		{"pid", a.pid},
		{"intent_ns", a.intent_ns},
		{"app", a.app},
		{"source", a.source_text()},
		{"source_kind", to_string(a.source)},
		{"backend", to_string(a.backend)},
		{"xdp_mode", a.xdp_mode ? to_string(*a.xdp_mode) : ""},
		{"dispatcher", a.dispatcher},
		{"created_clsact", a.created_clsact},
		{"hooks", hooks},
		{"config", a.config},
		{"maps", a.maps},
		{"attached_at", a.attached_at},
		{"note", a.note},
		{"loaded_modules", a.loaded_modules}};
}

HookPoint hook_of(const std::string &name)
{
	return name == "xdp"	      ? HookPoint::Xdp
	       : name == "tc-ingress" ? HookPoint::TcIngress
				      : HookPoint::TcEgress;
}

Source source_of(const json &j, const std::string &source)
{
	if (source == "builtin")
		return Source::Builtin;
	// records written before source_kind existed: a build directory is a directory
	std::string kind = j.value("source_kind", fs::is_directory(source) ? "build" : "object");
	return kind == "build" ? Source::BuildDir : Source::ObjectFile;
}

Attachment from_json(const json &j)
{
	Attachment a;
	a.ifname = j.at("ifname");
	a.ifindex = j.at("ifindex");
	a.netns = j.at("netns");
	a.netns_ino = j.value("netns_ino", uint64_t{0});
	a.netns_cookie = j.value("netns_cookie", uint64_t{0});
	a.attached_ifname = j.value("attached_ifname", a.ifname);
	a.phase = j.value("phase", "attached");
	a.pid = j.value("pid", 0);
	a.intent_ns = j.value("intent_ns", uint64_t{0});
	a.app = j.at("app");
	std::string source = j.at("source");
	a.source = source_of(j, source);
	if (a.source != Source::Builtin)
		a.source_path = source;
	a.backend = j.at("backend") == "native" ? Backend::Native : Backend::Ebpf;
	std::string mode = j.at("xdp_mode");
	if (!mode.empty())
		a.xdp_mode = mode == "skb" ? XdpMode::Skb : XdpMode::Native;
	a.dispatcher = j.value("dispatcher", true);
	a.created_clsact = j.at("created_clsact");
	for (const json &h : j.at("hooks"))
		a.hooks.push_back({hook_of(h.at("hook")), h.at("program"), h.at("prog_id"),
				   h.at("tc_handle"), h.at("tc_priority"),
				   h.value("pending", false)});
	a.config = j.at("config").get<std::map<std::string, std::string>>();
	a.maps = j.at("maps").get<std::vector<std::string>>();
	a.attached_at = j.at("attached_at");
	a.note = j.value("note", "");
	a.loaded_modules = j.value("loaded_modules", std::vector<std::string>{});
	return a;
}

} // namespace

void write_record(int map_fd, const Attachment &a)
{
	std::string text = to_json(a).dump();
	if (text.size() >= kRecordSize)
		throw Error("attachment record too large");
	std::vector<char> buf(kRecordSize, 0);
	std::memcpy(buf.data(), text.data(), text.size());
	uint32_t key = 0;
	if (bpf_map_update_elem(map_fd, &key, buf.data(), 0) != 0)
		throw Error("cannot write the attachment record: " + err_text(errno));
}

int open_record_rw(const std::string &dir)
{
	return bpf_obj_get((dir + "/" + kRecordPin).c_str());
}

Attachment read_record(const std::string &dir)
{
	LIBBPF_OPTS(bpf_obj_get_opts, ro, .file_flags = BPF_F_RDONLY);
	int fd = bpf_obj_get_opts((dir + "/" + kRecordPin).c_str(), &ro);
	if (fd < 0)
		throw Error(dir + " has no readable attachment record (" + err_text(errno) + ")");
	std::vector<char> buf(kRecordSize + 1, 0);
	uint32_t key = 0;
	int rc = bpf_map_lookup_elem(fd, &key, buf.data());
	close(fd);
	if (rc != 0)
		throw Error("cannot read the attachment record in " + dir);
	Attachment a;
	try {
		a = from_json(json::parse(buf.data()));
	} catch (const json::exception &e) {
		throw Error("the attachment record in " + dir + " is damaged (" + e.what() + ")");
	}
	a.pin_dir = dir;
	return a;
}

void begin_record(AttachPlan &plan, Rollback &rollback)
{
	Attachment &a = plan.record;
	// The usual place; a record left there by an interface since renamed or moved (or
	// whose interface is gone) keeps it, and this one goes beside it.
	std::string base = iface_dir(plan.root, netns_scope(), a.ifname) + "/" + a.app;
	plan.dir = base;
	for (int n = 2; fs::exists(plan.dir); n++)
		plan.dir = base + "~" + std::to_string(n);
	std::error_code ec;
	fs::create_directories(plan.dir, ec);
	if (ec)
		throw Error("cannot create " + plan.dir + ": " + ec.message() +
			    (ec.value() == EROFS ? " (the bpffs is mounted read-only)" : ""));
	rollback.add([dir = plan.dir] { remove_pins(dir); });
	a.phase = "attaching";
	a.pid = static_cast<int>(getpid());
	a.intent_ns = boottime_ns();
	a.pin_dir = plan.dir;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "netext_state", 4, kRecordSize, 1, nullptr);
	if (fd < 0)
		throw Error("cannot create the attachment record: " + err_text(errno));
	plan.record_fd = fd;
	write_record(fd, a);
	if (bpf_obj_pin(fd, (plan.dir + "/" + kRecordPin).c_str()) != 0)
		throw Error("cannot pin the attachment record in " + plan.dir + ": " +
			    err_text(errno));
}

void update_record(const AttachPlan &plan)
{
	write_record(plan.record_fd, plan.record);
}

void commit_record(AttachPlan &plan)
{
	plan.record.phase = "attached";
	plan.record.pid = 0;
	update_record(plan);
}

} // namespace attach_steps

} // namespace netext::loader
