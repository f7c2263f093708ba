#include <netext/loader/attach.hpp>
#include <netext/loader/bpffs.hpp>
#include <netext/loader/build.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/native.hpp>
#include <netext/loader/netns.hpp>
#include <netext/loader/object.hpp>
#include <netext/loader/rodata.hpp>

#include "lib_log.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <linux/capability.h>
#include <net/if.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <sys/syscall.h>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace netext::loader {

namespace {

constexpr uint32_t kStateSize = 4096; // bytes of JSON in the pinned state map
constexpr const char *kStatePin = "state";

std::string err_text(int err)
{
	return std::strerror(err < 0 ? -err : err);
}

// Runs the undo steps of a half-done operation in reverse, unless committed.
class Rollback {
public:
	void add(std::function<void()> undo) { steps_.push_back(std::move(undo)); }
	void commit() { steps_.clear(); }
	~Rollback()
	{
		for (auto it = steps_.rbegin(); it != steps_.rend(); ++it)
			(*it)();
	}

private:
	std::vector<std::function<void()>> steps_;
};

void require_privileges()
{
	__user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
	__user_cap_data_struct data[2]{};
	if (syscall(SYS_capget, &hdr, data) != 0)
		return; // cannot tell; the kernel will say
	auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1u; };
	bool bpf = has(CAP_BPF) || has(CAP_SYS_ADMIN);
	if (!bpf || !has(CAP_NET_ADMIN))
		throw Error("netext: permission denied: loading and attaching programs needs root "
			    "(CAP_BPF and CAP_NET_ADMIN); run it with sudo",
			    ExitCode::Permission);
}

uint32_t ifindex_of(const std::string &ifname)
{
	uint32_t idx = if_nametoindex(ifname.c_str());
	if (idx == 0)
		throw Error("netext: interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	return idx;
}

std::string iface_dir(const std::string &root, const std::string &scope, const std::string &ifname)
{
	return root + "/netext/" + (scope.empty() ? "" : scope + "/") + ifname;
}

json to_json(const Attachment &a)
{
	json hooks = json::array();
	for (const HookState &h : a.hooks)
		hooks.push_back({{"hook", to_string(h.hook)},
				 {"program", h.program},
				 {"prog_id", h.prog_id},
				 {"tc_handle", h.tc_handle},
				 {"tc_priority", h.tc_priority}});
	return {{"ifname", a.ifname},
		{"ifindex", a.ifindex},
		{"netns", a.netns},
		{"app", a.app},
		{"source", a.source},
		{"backend", a.backend},
		{"xdp_mode", a.xdp_mode},
		{"dispatcher", a.dispatcher},
		{"created_clsact", a.created_clsact},
		{"hooks", hooks},
		{"config", a.config},
		{"maps", a.maps},
		{"attached_at", a.attached_at},
		{"note", a.note},
		{"loaded_modules", a.loaded_modules}};
}

Attachment from_json(const json &j)
{
	Attachment a;
	a.ifname = j.at("ifname");
	a.ifindex = j.at("ifindex");
	a.netns = j.at("netns");
	a.app = j.at("app");
	a.source = j.at("source");
	a.backend = j.at("backend");
	a.xdp_mode = j.at("xdp_mode");
	a.dispatcher = j.value("dispatcher", true);
	a.created_clsact = j.at("created_clsact");
	for (const json &h : j.at("hooks")) {
		std::string name = h.at("hook");
		HookPoint p = name == "xdp"	     ? HookPoint::Xdp
			      : name == "tc-ingress" ? HookPoint::TcIngress
						     : HookPoint::TcEgress;
		a.hooks.push_back({p, h.at("program"), h.at("prog_id"), h.at("tc_handle"),
				   h.at("tc_priority")});
	}
	a.config = j.at("config").get<std::map<std::string, std::string>>();
	a.maps = j.at("maps").get<std::vector<std::string>>();
	a.attached_at = j.at("attached_at");
	a.note = j.value("note", "");
	a.loaded_modules = j.value("loaded_modules", std::vector<std::string>{});
	return a;
}

void write_state(int fd, const Attachment &a)
{
	std::string text = to_json(a).dump();
	if (text.size() >= kStateSize)
		throw Error("netext: attachment record too large");
	std::vector<char> buf(kStateSize, 0);
	std::memcpy(buf.data(), text.data(), text.size());
	uint32_t key = 0;
	if (bpf_map_update_elem(fd, &key, buf.data(), 0) != 0)
		throw Error("netext: cannot write the attachment record: " + err_text(errno));
}

Attachment read_state(const std::string &dir)
{
	int fd = bpf_obj_get((dir + "/" + kStatePin).c_str());
	if (fd < 0)
		throw Error("netext: " + dir +
			    " has no attachment record (stale pins? remove the directory)");
	std::vector<char> buf(kStateSize + 1, 0);
	uint32_t key = 0;
	int rc = bpf_map_lookup_elem(fd, &key, buf.data());
	close(fd);
	if (rc != 0)
		throw Error("netext: cannot read the attachment record in " + dir);
	Attachment a = from_json(json::parse(buf.data()));
	a.pin_dir = dir;
	return a;
}

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
			throw Error("netext: --set " + k.name + "=" + v + ": '" + v +
					    "' is not an IPv4 address (e.g. 198.19.0.0)",
				    ExitCode::Usage);
		return ntohl(a.s_addr);
	}
	if (k.format == Knob::Format::Ipv6Prefix64) {
		in6_addr a{};
		if (inet_pton(AF_INET6, v.c_str(), &a) != 1)
			throw Error("netext: --set " + k.name + "=" + v + ": '" + v +
					    "' is not an IPv6 address (e.g. 2001:db8:0:ffff::)",
				    ExitCode::Usage);
		uint64_t hi = 0, lo = 0;
		for (int i = 0; i < 8; i++) {
			hi = hi << 8 | a.s6_addr[i];
			lo = lo << 8 | a.s6_addr[8 + i];
		}
		if (lo != 0)
			throw Error(
				"netext: --set " + k.name + "=" + v +
					": a /64 prefix is needed; the last 64 bits must be zero",
				ExitCode::Usage);
		return hi;
	}
	uint64_t n = parse_number(k.name, v);
	if (k.prime && !is_prime_number(n))
		throw Error("netext: --set " + k.name + "=" + v + ": " + v +
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
	throw Error("netext: --set " + knob + "=" + v + ": '" + v +
			    "' is not a non-negative integer (decimal or 0x hex)",
		    ExitCode::Usage);
}

void apply_settings(bpf_object *obj, const AppDescriptor &d,
		    const std::map<std::string, std::string> &sets,
		    std::map<std::string, std::string> &applied)
{
	for (const auto &[key, value] : sets) {
		const Knob *k = nullptr;
		for (const Knob &kn : d.knobs)
			if (kn.name == key)
				k = &kn;
		if (!k) {
			std::string names;
			for (const Knob &kn : d.knobs)
				names += (names.empty() ? "" : ", ") + kn.name;
			throw Error("netext: app '" + d.name + "' has no setting '" + key + "' (" +
					    (names.empty() ? "it has none" : "settings: " + names) +
					    "; see 'netext apps')",
				    ExitCode::Usage);
		}
		uint64_t n = parse_knob_value(*k, value);
		if (n < k->min || n > k->max)
			throw Error("netext: --set " + key + "=" + value + " is out of range [" +
					    std::to_string(k->min) + ", " + std::to_string(k->max) +
					    "]",
				    ExitCode::Usage);
		if (k->kind == Knob::Kind::MapEntries) {
			bpf_map *m = bpf_object__find_map_by_name(obj, k->map.c_str());
			if (!m || bpf_map__set_max_entries(m, static_cast<uint32_t>(n)) != 0)
				throw Error("netext: cannot size map '" + k->map + "' to " + value);
		}
		// A map-size knob is also written to a read-only variable of the same name, if
		// the program has one (it then knows the size, e.g. to index a hash table).
		std::optional<RodataVar> var = find_rodata_var(obj, key);
		if (k->kind == Knob::Kind::MapEntries && !var) {
			applied[key] = value;
			continue;
		}
		if (!var)
			throw Error("netext: app '" + d.name + "' declares setting '" + key +
				    "' but its object has no such read-only variable (of at most 8 "
				    "bytes)");
		if (var->size < 8 && n >> (var->size * 8) != 0)
			throw Error("netext: --set " + key + "=" + value + " does not fit in " +
					    std::to_string(var->size) + " bytes",
				    ExitCode::Usage);
		if (!var->write(n))
			throw Error("netext: cannot set '" + key + "'");
		applied[key] = value;
	}
}

bpf_tc_attach_point tc_point(HookPoint h)
{
	return h == HookPoint::TcIngress ? BPF_TC_INGRESS : BPF_TC_EGRESS;
}

// Detaches one attachment's hooks; returns problems met (already-gone hooks are fine).
void undo_hooks(const Attachment &a, bool remove_clsact)
{
	for (const HookState &h : a.hooks) {
		if (h.hook == HookPoint::Xdp) {
			xdp_multiprog *mp =
				xdp_multiprog__get_from_ifindex(static_cast<int>(a.ifindex));
			if (!mp || libxdp_get_error(mp))
				continue;
			if (xdp_multiprog__is_legacy(mp)) {
				// Attached alone (no dispatcher): remove it only if it is ours.
				xdp_program *main = xdp_multiprog__main_prog(mp);
				if (main && xdp_program__id(main) == h.prog_id)
					xdp_multiprog__detach(mp);
			} else {
				for (xdp_program *p = xdp_multiprog__next_prog(nullptr, mp); p;
				     p = xdp_multiprog__next_prog(p, mp)) {
					if (xdp_program__id(p) == h.prog_id) {
						xdp_program__detach(p, static_cast<int>(a.ifindex),
								    xdp_multiprog__attach_mode(mp),
								    0);
						break;
					}
				}
			}
			xdp_multiprog__close(mp);
		} else {
			LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
				    .attach_point = tc_point(h.hook));
			LIBBPF_OPTS(bpf_tc_opts, opts, .handle = h.tc_handle,
				    .priority = h.tc_priority);
			bpf_tc_detach(&hook, &opts);
		}
	}
	if (remove_clsact) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
			    .attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS |
									     BPF_TC_EGRESS));
		bpf_tc_hook_destroy(&hook);
	}
}

bool has_tc(const Attachment &a)
{
	for (const HookState &h : a.hooks)
		if (h.hook != HookPoint::Xdp)
			return true;
	return false;
}

// Failure injection for the rollback tests: NETEXT_FAULT_INJECT=<step> makes attach fail
// right after that step, as a real failure there would.
void fault_point(const char *step)
{
	const char *want = std::getenv("NETEXT_FAULT_INJECT");
	if (want && std::strcmp(want, step) == 0)
		throw Error(std::string("netext: injected failure after step '") + step +
			    "' (NETEXT_FAULT_INJECT)");
}

void remove_pins(const std::string &dir)
{
	std::error_code ec;
	fs::remove_all(dir, ec);
	// Remove emptied parents up to and including .../netext (remove() keeps non-empty ones).
	for (fs::path p = fs::path(dir).parent_path(); !p.empty(); p = p.parent_path()) {
		bool top = p.filename() == "netext";
		if (!fs::remove(p, ec) || top)
			break;
	}
}

// Native backend: unbinds the app's maps from its module (best effort: detach and rollback).
// Writes every read-only knob of a native app (the values apply_settings left in the
// object's .rodata: the defaults and what --set chose) to its module's parameters.
void set_native_knobs(bpf_object *obj, const AppDescriptor &d,
		      const std::map<std::string, std::string> &sets)
{
	for (const Knob &k : d.knobs) {
		std::optional<RodataVar> var;
		if (k.kind != Knob::Kind::Rodata || !(var = find_rodata_var(obj, k.name)))
			continue;
		uint64_t v = var->read();
		std::string param = "/sys/module/netext_app_" + d.name + "/parameters/" + k.name;
		std::FILE *f = std::fopen(param.c_str(), "w");
		bool ok = f && std::fprintf(f, "%llu\n", static_cast<unsigned long long>(v)) > 0;
		ok = (f && std::fclose(f) == 0) && ok;
		if (!ok && sets.contains(k.name))
			throw Error("netext: cannot set '" + k.name + "' of app '" + d.name +
				    "'s native module (" + param + ": " + std::strerror(errno) +
				    "); rebuild the module with this netext");
	}
}

void native_unbind(const std::string &app, const std::vector<std::string> &maps) noexcept
{
	try {
		native::Device dev;
		for (const std::string &m : maps)
			dev.unbind(app, m);
	} catch (const std::exception &) {
	}
}

// Native backend: unloads what an attach loaded, newest first; netext.ko only when no
// app is registered with it any more. Returns the modules that stayed.
std::string native_unload(const std::vector<std::string> &loaded) noexcept
{
	std::string stayed;
	for (auto it = loaded.rbegin(); it != loaded.rend(); ++it) {
		if (*it == "netext") {
			try {
				if (native::Device().apps() != 0)
					continue;
			} catch (const std::exception &) {
			}
		}
		if (!native::unload_module(*it))
			stayed += (stayed.empty() ? "" : ", ") + *it;
	}
	return stayed;
}

using BpfObjectPtr = std::unique_ptr<bpf_object, void (*)(bpf_object *)>;

// The native backend's eBPF stub for one slot: only `prog` (netext_xdp or netext_tc) is
// loaded, with the slot as a constant in .rodata.
BpfObjectPtr open_stub(const std::string &path, uint32_t slot, const char *prog)
{
	BpfObjectPtr obj(bpf_object__open_file(path.c_str(), nullptr), bpf_object__close);
	if (!obj)
		throw Error("netext: cannot open the native stub " + path + ": " + err_text(errno));
	bpf_program *p;
	bpf_object__for_each_program(p, obj.get())
	{
		bpf_program__set_autoload(p, std::strcmp(bpf_program__name(p), prog) == 0);
	}
	std::optional<RodataVar> var = find_rodata_var(obj.get(), "netext_slot");
	if (!var || var->size != sizeof(slot))
		throw Error("netext: the native stub " + path + " has no netext_slot");
	if (!var->write(slot))
		throw Error("netext: cannot set the native stub's slot");
	return obj;
}

} // namespace

XdpMode parse_xdp_mode(const std::string &s)
{
	if (s == "native" || s == "drv")
		return XdpMode::Native;
	if (s == "skb" || s == "generic")
		return XdpMode::Skb;
	if (s == "auto")
		return XdpMode::Auto;
	throw Error("netext: unknown XDP mode '" + s + "' (use native, skb or auto)",
		    ExitCode::Usage);
}

AppDescriptor describe_object(const std::string &path)
{
	bpf_object *obj = bpf_object__open_file(path.c_str(), nullptr);
	if (!obj)
		throw Error("netext: '" + path +
			    "' is neither a built-in app nor a readable eBPF object (" +
			    err_text(errno) + "; see 'netext apps')");
	AppDescriptor d;
	d.name = fs::path(path).stem().string();
	if (auto dot = d.name.find('.'); dot != std::string::npos)
		d.name.resize(dot);
	d.summary = "eBPF object " + path;
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		std::string_view sec = bpf_program__section_name(p);
		std::string name = bpf_program__name(p);
		if (sec == "xdp" || sec.starts_with("xdp/"))
			d.hooks.push_back({HookPoint::Xdp, name});
		else if (sec == "tc/ingress" || sec == "classifier/ingress" ||
			 name.ends_with("_ingress"))
			d.hooks.push_back({HookPoint::TcIngress, name});
		else if (sec == "tc/egress" || sec == "classifier/egress" ||
			 name.ends_with("_egress"))
			d.hooks.push_back({HookPoint::TcEgress, name});
	}
	if (const btf *b = bpf_object__btf(obj)) {
		int sec = btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC);
		if (sec >= 0) {
			const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(sec));
			const btf_var_secinfo *vs = btf_var_secinfos(t);
			for (uint16_t i = 0; i < btf_vlen(t); i++, vs++) {
				const btf_type *var = btf__type_by_id(b, vs->type);
				if (vs->size <= 8)
					d.knobs.push_back(
						{btf__name_by_offset(b, var->name_off),
						 "read-only variable", Knob::Kind::Rodata, "", 0,
						 vs->size == 8 ? UINT64_MAX
							       : (1ull << (vs->size * 8)) - 1});
			}
		}
	}
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (!bpf_map__is_internal(m))
			d.maps.push_back({bpf_map__name(m), "", {}, {}});
	}
	bpf_object__close(obj);
	if (d.hooks.empty())
		throw Error("netext: '" + path +
			    "' has no program for XDP (section \"xdp\") or tc "
			    "(section \"tc/ingress\", \"tc/egress\", or a tc program named "
			    "*_ingress / *_egress)");
	return d;
}

Attachment attach(const AttachRequest &req)
{
	require_privileges();
	if (req.backend != "ebpf" && req.backend != "native")
		throw Error("netext: unknown backend '" + req.backend + "' (ebpf or native)",
			    ExitCode::Usage);
	const bool native = req.backend == "native";
	if (native)
		native::require_module_support();
	std::string messages;
	LibLog log(messages);
	Attachment a;
	a.backend = req.backend;
	a.ifname = req.ifname;
	a.ifindex = ifindex_of(req.ifname);
	a.netns = netns_scope();
	a.attached_at = std::time(nullptr);

	AppDescriptor d;
	std::optional<BpfObject> object;
	std::optional<BuiltApp> built; // a `netext build` output directory
	if (const AppDescriptor *b = find_builtin_app(req.app)) {
		d = *b;
		object.emplace(BpfObject::open_embedded(req.app));
		a.source = "builtin";
	} else if (fs::is_directory(req.app)) {
		built = read_built_app(req.app);
		d = describe_object(built->object);
		d.name = built->name;
		object.emplace(BpfObject::open_file(built->object));
		a.source = built->dir;
	} else if (fs::exists(req.app)) {
		d = describe_object(req.app);
		object.emplace(BpfObject::open_file(req.app));
		a.source = fs::absolute(req.app).string();
	} else {
		std::string names;
		for (const AppDescriptor &x : builtin_apps())
			names += (names.empty() ? "" : ", ") + x.name;
		throw Error("netext: unknown app '" + req.app + "' (built-in apps: " + names +
				    "; or give the path of an eBPF object file or of a 'netext "
				    "build' directory; see 'netext apps')",
			    ExitCode::NotFound);
	}
	bpf_object *obj = object->get();
	a.app = d.name;
	if (native && a.source != "builtin" && !built)
		throw Error("netext: the native backend runs built-in apps and 'netext build' "
			    "directories (an object file has no native module)",
			    ExitCode::Usage);
	if (native && built && !built->has("native"))
		throw Error("netext: " + built->dir +
				    " was built for the eBPF backend only; build it with 'netext "
				    "build ... --backend both' for native",
			    ExitCode::Usage);
	if (native && built && built->kernel_release != native::release())
		throw Error("netext: the native module in " + built->dir + " is built for kernel " +
				    built->kernel_release + ", this one is " + native::release() +
				    "; build it again with a netext installed for this kernel",
			    ExitCode::Usage);
	if (native)
		for (const Knob &k : d.knobs)
			if (k.kind == Knob::Kind::MapEntries && req.sets.contains(k.name))
				throw Error("netext: --set " + k.name +
						    " sizes a map, and map sizes are compiled into "
						    "the native module; use --backend ebpf to "
						    "change it",
					    ExitCode::Usage);

	std::string root = ensure_bpffs();
	std::string dir = iface_dir(root, a.netns, a.ifname) + "/" + a.app;
	if (fs::exists(dir))
		throw Error("netext: app '" + a.app + "' is already attached to " + a.ifname +
				    " (detach it first: netext detach " + a.ifname + " " + a.app +
				    ")",
			    ExitCode::Conflict);

	bool wants_xdp = false, wants_tc = false;
	for (const HookSpec &h : d.hooks)
		(h.hook == HookPoint::Xdp ? wants_xdp : wants_tc) = true;
	if (wants_xdp) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		if (bpf_xdp_query(static_cast<int>(a.ifindex), 0, &q) == 0 && q.prog_id != 0) {
			xdp_multiprog *mp =
				xdp_multiprog__get_from_ifindex(static_cast<int>(a.ifindex));
			bool legacy = !mp || libxdp_get_error(mp) || xdp_multiprog__is_legacy(mp);
			if (mp && !libxdp_get_error(mp))
				xdp_multiprog__close(mp);
			if (legacy)
				throw Error(
					"netext: " + a.ifname + " already has an XDP program (id " +
						std::to_string(q.prog_id) +
						") that was not attached through libxdp, so "
						"another cannot run "
						"beside it; remove it first (ip link set dev " +
						a.ifname + " xdp off) or load it with xdp-loader",
					ExitCode::Conflict);
		}
	}
	apply_settings(obj, d, req.sets, a.config);
	std::string kdir, app_module = "netext_app_" + a.app, app_ko;
	if (native) {
		kdir = native::module_dir();
		app_ko = built ? built->module : kdir + "/" + app_module + ".ko";
		if (!fs::exists(app_ko))
			throw Error("netext: app '" + a.app + "' has no native module (" + app_ko +
					    "); build it with NATIVE in its netext_add_extension()",
				    ExitCode::NotFound);
	}

	Rollback rollback;
	// Stubs, closed before the rollback unloads the modules they reference.
	std::vector<std::pair<std::string, BpfObjectPtr>> stubs;
	std::unique_ptr<native::Device> dev;
	if (native) {
		for (const std::string &m : {std::string("netext"), app_module}) {
			if (native::module_loaded(m))
				continue;
			native::load_module(m == app_module ? app_ko : kdir + "/" + m + ".ko");
			a.loaded_modules.push_back(m);
			rollback.add([m] { native::unload_module(m); });
		}
		fault_point("modules");
		// The app's maps from its eBPF object (no program loaded), bound to the module.
		bpf_program *p;
		bpf_object__for_each_program(p, obj)
		{
			bpf_program__set_autoload(p, false);
		}
		if (int err = bpf_object__load(obj); err)
			throw Error("netext: cannot create the maps of app '" + a.app +
				    "': " + err_text(err) + "\n" + messages);
		dev = std::make_unique<native::Device>();
		bpf_map *m;
		bpf_object__for_each_map(m, obj)
		{
			if (bpf_map__is_internal(m))
				continue;
			std::string name = bpf_map__name(m);
			int rc = dev->bind(a.app, name, bpf_map__fd(m));
			if (rc == -ENOENT)
				continue; // the native code does not use it
			if (rc == -EBUSY)
				throw Error("netext: the native module of app '" + a.app +
						    "' is in use (its map '" + name +
						    "' is bound): one native attachment per app",
					    ExitCode::Conflict);
			if (rc)
				throw Error("netext: cannot bind map '" + name + "' to app '" +
					    a.app + "'s native module: " + err_text(rc) +
					    (rc == -EINVAL ? " (the module and the eBPF object "
							     "declare it differently)"
							   : ""));
			std::string app = a.app;
			rollback.add([app, name] { native_unbind(app, {name}); });
		}
		fault_point("bind");
		// The module is this attachment's now (its maps bound): its knobs get this
		// attachment's values, set or default, before any of its programs runs.
		set_native_knobs(obj, d, req.sets);
	}
	// Load (and attach XDP, which loads the whole object through libxdp).
	if (wants_xdp) {
		const HookSpec *xh = nullptr;
		for (const HookSpec &h : d.hooks)
			if (h.hook == HookPoint::Xdp)
				xh = &h;
		bpf_program *bp = bpf_object__find_program_by_name(obj, xh->program.c_str());
		if (!bp)
			throw Error("netext: app '" + a.app + "' has no program '" + xh->program +
				    "'");
		xdp_program *xp = nullptr;
		if (native) {
			stubs.emplace_back(xh->program,
					   open_stub(kdir + "/netext_stub.bpf.o",
						     dev->slot(a.app, xh->program), "netext_xdp"));
			DECLARE_LIBXDP_OPTS(xdp_program_opts, xo, .obj = stubs.back().second.get(),
					    .prog_name = "netext_xdp");
			xp = xdp_program__create(&xo);
		} else {
			xp = xdp_program__from_bpf_obj(obj, bpf_program__section_name(bp));
		}
		if (!xp || libxdp_get_error(xp))
			throw Error("netext: libxdp cannot use app '" + a.app + "': " + messages);
		std::unique_ptr<xdp_program, void (*)(xdp_program *)> xp_guard(xp,
									       xdp_program__close);
		xdp_attach_mode mode = req.mode == XdpMode::Skb ? XDP_MODE_SKB : XDP_MODE_NATIVE;
		int err = xdp_program__attach(xp, static_cast<int>(a.ifindex), mode, 0);
		if (err && req.mode == XdpMode::Auto && err != -EACCES && err != -EPERM) {
			a.note = "native XDP failed on " + a.ifname + " (" + err_text(err) +
				 "); fell back to skb (generic) mode";
			mode = XDP_MODE_SKB;
			err = xdp_program__attach(xp, static_cast<int>(a.ifindex), mode, 0);
		}
		if (err)
			throw Error("netext: cannot attach '" + a.app + "' to " + a.ifname +
				    " at XDP (" + (mode == XDP_MODE_NATIVE ? "native" : "skb") +
				    " mode): " + err_text(err) +
				    (mode == XDP_MODE_NATIVE ? " (try --mode skb)" : "") + "\n" +
				    messages);
		a.xdp_mode = mode == XDP_MODE_NATIVE ? "native" : "skb";
		a.hooks.push_back({HookPoint::Xdp, xh->program, xdp_program__id(xp), 0, 0});
		if (xdp_multiprog *mp =
			    xdp_multiprog__get_from_ifindex(static_cast<int>(a.ifindex));
		    mp && !libxdp_get_error(mp)) {
			if (xdp_multiprog__is_legacy(mp)) {
				// libxdp's own reason, e.g. "Compatibility check for dispatcher
				// program failed: Operation not permitted".
				std::string why;
				if (auto at = messages.find("Compatibility check");
				    at != std::string::npos)
					why = messages.substr(at, messages.find('\n', at) - at);
				a.dispatcher = false;
				a.note +=
					std::string(a.note.empty() ? "" : "; ") +
					"libxdp could not use its multi-program dispatcher here (" +
					(why.empty() ? "the kernel refused it" : why) +
					"), so the program is attached alone and no other XDP "
					"program can "
					"share " +
					a.ifname;
			}
			xdp_multiprog__close(mp);
		}
		Attachment undo = a;
		rollback.add([undo] { undo_hooks(undo, false); });
	} else if (native) {
		// maps only: loaded above
	} else if (int err = bpf_object__load(obj); err) {
		throw Error("netext: the kernel refused app '" + a.app + "': " + err_text(err) +
			    "\n" + messages);
	}

	fault_point("load");

	if (wants_tc) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
			    .attach_point = BPF_TC_INGRESS);
		int err = bpf_tc_hook_create(&hook);
		if (err && err != -EEXIST)
			throw Error("netext: cannot create a clsact qdisc on " + a.ifname + ": " +
				    err_text(err));
		a.created_clsact = err == 0;
		if (a.created_clsact) {
			uint32_t ifindex = a.ifindex;
			rollback.add([ifindex] {
				LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = static_cast<int>(ifindex),
					    .attach_point = static_cast<bpf_tc_attach_point>(
						    BPF_TC_INGRESS | BPF_TC_EGRESS));
				bpf_tc_hook_destroy(&h);
			});
		}
		for (const HookSpec &h : d.hooks) {
			if (h.hook == HookPoint::Xdp)
				continue;
			bpf_program *bp = bpf_object__find_program_by_name(obj, h.program.c_str());
			if (!bp)
				throw Error("netext: app '" + a.app + "' has no program '" +
					    h.program + "'");
			if (native) {
				stubs.emplace_back(h.program, open_stub(kdir + "/netext_stub.bpf.o",
									dev->slot(a.app, h.program),
									"netext_tc"));
				bpf_object *so = stubs.back().second.get();
				if (int e = bpf_object__load(so))
					throw Error(
						"netext: the kernel refused the native stub for '" +
						h.program + "': " + err_text(e) + "\n" + messages);
				bp = bpf_object__find_program_by_name(so, "netext_tc");
			}
			LIBBPF_OPTS(bpf_tc_hook, th, .ifindex = static_cast<int>(a.ifindex),
				    .attach_point = tc_point(h.hook));
			LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(bp));
			if (int e = bpf_tc_attach(&th, &opts))
				throw Error("netext: cannot attach '" + h.program + "' at " +
					    to_string(h.hook) + " on " + a.ifname + ": " +
					    err_text(e));
			bpf_prog_info info{};
			uint32_t len = sizeof(info);
			bpf_obj_get_info_by_fd(bpf_program__fd(bp), &info, &len);
			HookState st{h.hook, h.program, info.id, opts.handle, opts.priority};
			a.hooks.push_back(st);
			Attachment undo;
			undo.ifindex = a.ifindex;
			undo.hooks = {st};
			rollback.add([undo] { undo_hooks(undo, false); });
		}
	}

	fault_point("tc");

	// Pins: maps by name, programs as prog_<name>, and the attachment record.
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw Error("netext: cannot create " + dir + ": " + ec.message());
	rollback.add([dir] { remove_pins(dir); });
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (bpf_map__is_internal(m))
			continue;
		std::string path = dir + "/" + bpf_map__name(m);
		if (int e = bpf_map__pin(m, path.c_str()))
			throw Error("netext: cannot pin map at " + path + ": " + err_text(e));
		a.maps.emplace_back(bpf_map__name(m));
	}
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		if (bpf_program__fd(p) < 0)
			continue;
		std::string path = dir + "/prog_" + bpf_program__name(p);
		if (int e = bpf_program__pin(p, path.c_str()))
			throw Error("netext: cannot pin program at " + path + ": " + err_text(e));
	}
	for (const auto &[program, so] : stubs) {
		bpf_object__for_each_program(p, so.get())
		{
			if (bpf_program__fd(p) < 0)
				continue;
			std::string path = dir + "/prog_" + program;
			if (int e = bpf_program__pin(p, path.c_str()))
				throw Error("netext: cannot pin program at " + path + ": " +
					    err_text(e));
		}
	}
	fault_point("pin");
	int state = bpf_map_create(BPF_MAP_TYPE_ARRAY, "netext_state", 4, kStateSize, 1, nullptr);
	if (state < 0)
		throw Error("netext: cannot create the attachment record: " + err_text(errno));
	write_state(state, a);
	int pinned = bpf_obj_pin(state, (dir + "/" + kStatePin).c_str());
	close(state);
	if (pinned != 0)
		throw Error("netext: cannot pin the attachment record: " + err_text(errno));
	rollback.commit();
	a.pin_dir = dir;
	return a;
}

namespace {
// Pins of attachments in named namespaces that no longer exist (`ip netns del` with an
// app still attached): their interfaces went with the namespace, and nobody can reach
// those pins to detach. Numbered (unnamed) namespaces are left alone: there is no cheap
// way to tell that one is gone.
void prune_vanished_namespaces(const std::string &root)
{
	std::error_code ec;
	for (const auto &d : fs::directory_iterator(root + "/netext", ec)) {
		std::string name = d.path().filename().string();
		if (!d.is_directory() || !name.starts_with("netns:"))
			continue;
		std::string ns = name.substr(6);
		bool numbered = !ns.empty() && std::all_of(ns.begin(), ns.end(), [](char c) {
			return c >= '0' && c <= '9';
		});
		if (numbered || fs::exists("/run/netns/" + ns, ec))
			continue;
		fs::remove_all(d.path(), ec);
	}
}
} // namespace

std::vector<Attachment> attachments(const std::string &ifname)
{
	std::string root = ensure_bpffs();
	prune_vanished_namespaces(root);
	std::string scope = netns_scope();
	std::string base = root + "/netext/" + (scope.empty() ? "" : scope + "/");
	std::vector<Attachment> out;
	std::error_code ec;
	if (!fs::is_directory(base, ec))
		return out;
	for (const auto &ifdir : fs::directory_iterator(base, ec)) {
		std::string name = ifdir.path().filename().string();
		if (!ifdir.is_directory() || name.starts_with("netns:") ||
		    (!ifname.empty() && name != ifname))
			continue;
		for (const auto &appdir : fs::directory_iterator(ifdir.path(), ec)) {
			Attachment a = read_state(appdir.path().string());
			uint32_t now = if_nametoindex(a.ifname.c_str());
			if (now != a.ifindex) {
				a.live = false;
				a.note = "interface " + a.ifname +
					 " is gone or was recreated (detach to clean up)";
			} else {
				for (const HookState &h : a.hooks) {
					int fd = bpf_prog_get_fd_by_id(h.prog_id);
					if (fd < 0) {
						a.live = false;
						a.note = std::string(to_string(h.hook)) +
							 " program was removed by someone else "
							 "(detach to clean up)";
					} else {
						close(fd);
					}
				}
			}
			out.push_back(std::move(a));
		}
	}
	std::sort(out.begin(), out.end(), [](const Attachment &x, const Attachment &y) {
		return std::tie(x.ifname, x.app) < std::tie(y.ifname, y.app);
	});
	return out;
}

std::vector<Attachment> detach(const std::string &ifname, const std::string &app)
{
	require_privileges();
	std::string messages;
	LibLog log(messages);
	std::vector<Attachment> all = attachments(ifname);
	std::vector<Attachment> gone;
	for (Attachment &a : all) {
		if (!app.empty() && a.app != app)
			continue;
		bool others_use_tc = false;
		Attachment *heir = nullptr;
		for (Attachment &o : all) {
			if (&o != &a && has_tc(o) &&
			    std::find_if(gone.begin(), gone.end(), [&](const Attachment &g) {
				    return g.app == o.app;
			    }) == gone.end()) {
				others_use_tc = true;
				heir = &o;
			}
		}
		bool live_iface = if_nametoindex(a.ifname.c_str()) == a.ifindex;
		if (live_iface)
			undo_hooks(a, a.created_clsact && !others_use_tc);
		if (a.backend == "native")
			native_unbind(a.app, a.maps);
		if (a.created_clsact && others_use_tc && heir) {
			// Hand the qdisc to an attachment that still uses it.
			heir->created_clsact = true;
			int fd = bpf_obj_get((heir->pin_dir + "/" + kStatePin).c_str());
			if (fd >= 0) {
				write_state(fd, *heir);
				close(fd);
			}
		}
		remove_pins(a.pin_dir);
		if (a.backend == "native" && !a.loaded_modules.empty()) {
			std::string stayed = native_unload(a.loaded_modules);
			if (!stayed.empty())
				a.note = "still loaded (in use): " + stayed;
		}
		gone.push_back(a);
	}
	if (gone.empty())
		throw Error(app.empty() ? "netext: nothing of netext is attached to " + ifname +
						  " (see 'netext status')"
					: "netext: app '" + app + "' is not attached to " + ifname +
						  " (see 'netext status')",
			    ExitCode::NotFound);
	return gone;
}

AppDescriptor descriptor_of(const Attachment &a)
{
	if (a.source == "builtin")
		if (const AppDescriptor *d = find_builtin_app(a.app))
			return *d;
	AppDescriptor d;
	d.name = a.app;
	for (const std::string &m : a.maps)
		d.maps.push_back({m, "", {}, {}});
	return d;
}

int open_pinned_map(const Attachment &a, const std::string &map)
{
	int fd = bpf_obj_get((a.pin_dir + "/" + map).c_str());
	if (fd < 0)
		throw Error("netext: app '" + a.app + "' on " + a.ifname + " has no map '" + map +
				    "' (see 'netext map " + a.ifname + " " + a.app + " list')",
			    ExitCode::NotFound);
	return fd;
}

} // namespace netext::loader
