// Attach, step 1: what is to be attached where, refused before anything is changed.
#include "plan.hpp"

#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <linux/capability.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace netext::loader::attach_steps {

std::string err_text(int err)
{
	return std::strerror(err < 0 ? -err : err);
}

void fault_point(const char *step)
{
	const char *want = std::getenv("NETEXT_FAULT_INJECT");
	if (want && std::strcmp(want, step) == 0)
		throw Error(std::string("injected failure after step '") + step +
			    "' (NETEXT_FAULT_INJECT)");
}

std::string iface_dir(const std::string &root, const std::string &scope, const std::string &ifname)
{
	return root + "/netext/" + (scope.empty() ? "" : scope + "/") + ifname;
}

void require_privileges()
{
	__user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
	__user_cap_data_struct data[2]{};
	if (syscall(SYS_capget, &hdr, data) != 0)
		return; // cannot tell; the kernel will say
	auto has = [&](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1u; };
	bool bpf = has(CAP_BPF) || has(CAP_SYS_ADMIN);
	if (!bpf || !has(CAP_NET_ADMIN))
		throw Error("permission denied: loading and attaching programs needs root "
			    "(CAP_BPF and CAP_NET_ADMIN); run it with sudo",
			    ExitCode::Permission);
}

namespace {

uint32_t ifindex_of(const std::string &ifname)
{
	uint32_t idx = if_nametoindex(ifname.c_str());
	if (idx == 0)
		throw Error("interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	return idx;
}

// The descriptor and object of a built-in app, a `netext build` directory or an object file.
void open_app(AttachPlan &plan)
{
	const std::string &name = plan.req.app;
	Attachment &a = plan.record;
	if (const AppDescriptor *b = find_builtin_app(name)) {
		plan.app = *b;
		plan.object.emplace(BpfObject::open_embedded(name));
		a.source = Source::Builtin;
	} else if (fs::is_directory(name)) {
		plan.built = read_built_app(name);
		plan.app = describe_object(plan.built->object);
		plan.app.name = plan.built->name;
		plan.object.emplace(BpfObject::open_file(plan.built->object));
		a.source = Source::BuildDir;
		a.source_path = plan.built->dir;
	} else if (fs::exists(name)) {
		plan.app = describe_object(name);
		plan.object.emplace(BpfObject::open_file(name));
		a.source = Source::ObjectFile;
		a.source_path = fs::absolute(name).string();
	} else {
		std::string names;
		for (const AppDescriptor &x : builtin_apps())
			names += (names.empty() ? "" : ", ") + x.name;
		throw Error("unknown app '" + name + "' (built-in apps: " + names +
				    "; or give the path of an eBPF object file or of a 'netext "
				    "build' directory; see 'netext apps')",
			    ExitCode::NotFound);
	}
	a.app = plan.app.name;
}

// What the native backend cannot run.
void check_native(const AttachPlan &plan)
{
	const Attachment &a = plan.record;
	const std::optional<BuiltApp> &built = plan.built;
	if (a.source == Source::ObjectFile)
		throw Error("the native backend runs built-in apps and 'netext build' "
			    "directories (an object file has no native module)",
			    ExitCode::Usage);
	if (built && !built->has("native"))
		throw Error(built->dir +
				    " was built for the eBPF backend only; build it with 'netext "
				    "build ... --backend both' for native",
			    ExitCode::Usage);
	if (built && built->kernel_release != native::release())
		throw Error("the native module in " + built->dir + " is built for kernel " +
				    built->kernel_release + ", this one is " + native::release() +
				    "; build it again with a netext installed for this kernel",
			    ExitCode::Usage);
	for (const Knob &k : plan.app.knobs)
		if (k.kind == Knob::Kind::MapEntries && plan.req.sets.contains(k.name))
			throw Error("--set " + k.name +
					    " sizes a map, and map sizes are compiled into the "
					    "native module; use --backend ebpf to change it",
				    ExitCode::Usage);
}

} // namespace

void resolve_app(AttachPlan &plan)
{
	require_privileges();
	if (plan.native())
		native::require_module_support();
	Attachment &a = plan.record;
	a.backend = plan.req.backend;
	a.ifname = plan.req.ifname;
	a.ifindex = ifindex_of(plan.req.ifname);
	a.netns = netns_scope();
	a.attached_at = std::time(nullptr);
	open_app(plan);
	if (plan.native())
		check_native(plan);

	plan.root = ensure_bpffs();
	NetnsId ns = current_netns();
	a.netns_ino = ns.ino;
	a.netns_cookie = ns.cookie;
	a.attached_ifname = a.ifname;
	for (const HookSpec &h : plan.app.hooks)
		(h.hook == HookPoint::Xdp ? plan.wants_xdp : plan.wants_tc) = true;
}

void check_not_attached(const AttachPlan &plan)
{
	const Attachment &want = plan.record;
	for (const Attachment &a : attachments()) {
		if (a.app != want.app || a.ifindex != want.ifindex ||
		    a.state == AttachState::InterfaceGone)
			continue;
		std::string how =
			a.live ? "" : " (its record says so; the kernel says: " + a.note + ")";
		throw Error("app '" + a.app + "' is already attached to " + a.ifname + how +
				    "; detach it first: netext detach " + a.ifname + " " + a.app,
			    ExitCode::Conflict);
	}
}

} // namespace netext::loader::attach_steps
