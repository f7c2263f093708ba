// What is attached, as the kernel says: the records under the bpffs (any namespace's),
// each checked against the hooks of its interface (identified by ifindex in its namespace,
// by inode and cookie) or, when that interface is not here, against every interface here
// (one moved in keeps its programs). Also: rolling back what a killed command left
// (recover_interrupted), and `status --prune`. A record's descriptor and pinned maps.
#include "plan.hpp"

#include "../lib_log.hpp"

#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/bpf.h>
#include <xdp/libxdp.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <functional>
#include <net/if.h>
#include <tuple>
#include <unistd.h>

namespace fs = std::filesystem;

namespace netext::loader {

using namespace attach_steps;

namespace attach_steps {

std::vector<uint32_t> xdp_prog_ids(uint32_t ifindex)
{
	std::vector<uint32_t> ids;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	if (bpf_xdp_query(static_cast<int>(ifindex), 0, &q) != 0)
		return ids;
	for (uint32_t id : {q.prog_id, q.drv_prog_id, q.skb_prog_id, q.hw_prog_id})
		if (id != 0 && std::find(ids.begin(), ids.end(), id) == ids.end())
			ids.push_back(id);
	if (ids.empty())
		return ids;
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
	if (mp && !libxdp_get_error(mp)) {
		if (!xdp_multiprog__is_legacy(mp))
			for (xdp_program *p = xdp_multiprog__next_prog(nullptr, mp); p;
			     p = xdp_multiprog__next_prog(p, mp))
				ids.push_back(xdp_program__id(p));
		xdp_multiprog__close(mp);
	}
	return ids;
}

uint32_t tc_prog_at(uint32_t ifindex, HookPoint hook, uint32_t handle, uint32_t priority)
{
	if (handle == 0 || priority == 0)
		return 0;
	LIBBPF_OPTS(bpf_tc_hook, th, .ifindex = static_cast<int>(ifindex),
		    .attach_point = tc_point(hook));
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = priority);
	if (bpf_tc_query(&th, &o) != 0)
		return 0;
	return o.prog_id;
}

uint32_t pending_xdp_prog(const Attachment &a, const HookState &h, uint32_t ifindex)
{
	const std::string name = h.program.substr(0, BPF_OBJ_NAME_LEN - 1);
	for (uint32_t id : xdp_prog_ids(ifindex)) {
		int fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		bpf_prog_info info{};
		uint32_t len = sizeof(info);
		int rc = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (rc == 0 && name == info.name && info.load_time >= a.intent_ns)
			return id;
	}
	return 0;
}

namespace {

bool contains(const std::vector<uint32_t> &ids, uint32_t id)
{
	return id != 0 && std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Is the hook's program on this interface?
bool hook_on(const HookState &h, uint32_t ifindex, const std::vector<uint32_t> &xdp_ids)
{
	if (h.hook == HookPoint::Xdp)
		return contains(xdp_ids, h.prog_id);
	return h.prog_id != 0 &&
	       tc_prog_at(ifindex, h.hook, h.tc_handle, h.tc_priority) == h.prog_id;
}

// "netext" or "netext -n NAME": how to run a command in the current namespace.
std::string netext_here()
{
	std::string scope = netns_scope();
	if (scope.starts_with("netns:")) {
		std::string name = scope.substr(6);
		if (!std::all_of(name.begin(), name.end(),
				 [](char c) { return c >= '0' && c <= '9'; }))
			return "netext -n " + name;
	}
	return "netext";
}

bool process_alive(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

// A record's directory: <root>/netext/[netns:X/]<ifname>/<app>
void read_dir(const fs::path &dir, const std::string &scope, std::vector<Attachment> &out)
{
	std::error_code ec;
	if (!fs::exists(dir / kRecordPin, ec))
		return; // made and not yet recorded (or left so by a kill): recover_interrupted
	try {
		out.push_back(read_record(dir.string()));
	} catch (const Error &e) {
		Attachment a;
		a.app = dir.filename().string();
		a.ifname = a.attached_ifname = dir.parent_path().filename().string();
		a.netns = scope;
		a.phase = "damaged";
		a.pin_dir = dir.string();
		a.note = e.what();
		out.push_back(std::move(a));
	}
}

} // namespace

void for_each_app_dir(const std::string &root,
		      const std::function<void(const fs::path &, const std::string &)> &fn)
{
	std::error_code ec;
	std::vector<std::pair<fs::path, std::string>> dirs; // collected first: fn may remove
	for (const auto &top : fs::directory_iterator(root + "/netext", ec)) {
		std::string name = top.path().filename().string();
		if (!top.is_directory(ec))
			continue;
		if (name.starts_with("netns:")) {
			for (const auto &ifdir : fs::directory_iterator(top.path(), ec))
				if (ifdir.is_directory(ec))
					for (const auto &app :
					     fs::directory_iterator(ifdir.path(), ec))
						if (app.is_directory(ec))
							dirs.emplace_back(app.path(), name);
		} else {
			for (const auto &app : fs::directory_iterator(top.path(), ec))
				if (app.is_directory(ec))
					dirs.emplace_back(app.path(), "");
		}
	}
	for (const auto &[dir, scope] : dirs)
		fn(dir, scope);
}

std::vector<Attachment> all_records(const std::string &root)
{
	std::vector<Attachment> out;
	for_each_app_dir(root, [&](const fs::path &dir, const std::string &scope) {
		read_dir(dir, scope, out);
	});
	return out;
}

bool made_here(const Attachment &a, const NetnsId &here)
{
	if (a.netns_cookie != 0 && here.cookie != 0)
		return a.netns_cookie == here.cookie;
	if (a.netns_ino != 0)
		return a.netns_ino == here.ino;
	return a.netns == netns_scope(); // a record from before namespaces were kept by inode
}

bool find_here(Attachment &a)
{
	struct if_nameindex *ni = if_nameindex();
	if (!ni)
		return false;
	bool found = false;
	for (struct if_nameindex *p = ni; p->if_index != 0 && !found; p++) {
		std::vector<uint32_t> ids = xdp_prog_ids(p->if_index);
		for (const HookState &h : a.hooks)
			if (!h.pending && hook_on(h, p->if_index, ids)) {
				a.ifindex = p->if_index;
				a.ifname = p->if_name;
				found = true;
				break;
			}
	}
	if_freenameindex(ni);
	return found;
}

void assess(Attachment &a)
{
	const std::string fix_cmd = netext_here();
	char name[IF_NAMESIZE] = {};
	bool present = if_indextoname(a.ifindex, name) != nullptr;
	if (!present && find_here(a))
		present = if_indextoname(a.ifindex, name) != nullptr;
	bool replaced = false, all_on = true;
	std::string missing, taken;
	if (present) {
		a.ifname = name;
		std::vector<uint32_t> ids = xdp_prog_ids(a.ifindex);
		for (HookState &h : a.hooks) {
			if (h.pending)
				h.prog_id = pending_xdp_prog(a, h, a.ifindex);
			h.attached = hook_on(h, a.ifindex, ids);
			if (h.attached)
				continue;
			all_on = false;
			std::string what = std::string(to_string(h.hook)) + " program " +
					   h.program + " (id " + std::to_string(h.prog_id) + ")";
			uint32_t there =
				h.hook == HookPoint::Xdp
					? (!a.dispatcher && !ids.empty() ? ids.front() : 0)
					: tc_prog_at(a.ifindex, h.hook, h.tc_handle, h.tc_priority);
			if (there != 0) {
				replaced = true;
				taken += (taken.empty() ? "" : "; ") + what +
					 " was replaced by program id " + std::to_string(there);
			} else {
				missing += (missing.empty() ? "" : ", ") + what;
			}
		}
	}
	const std::string app_on = a.ifname + " " + a.app;
	a.note.clear();
	a.fix.clear();
	if (a.phase != "attached") {
		a.state = AttachState::Interrupted;
		if (a.phase == "damaged") {
			a.fix = "remove the directory " + a.pin_dir + " (rm -r)";
		} else if (process_alive(a.pid)) {
			a.note = "being changed (" + a.phase + ") by netext, pid " +
				 std::to_string(a.pid);
		} else {
			a.note = "the " +
				 std::string(a.phase == "detaching" ? "detach" : "attach") +
				 " by pid " + std::to_string(a.pid) +
				 " was interrupted before it finished";
			a.fix = fix_cmd + " detach " + app_on +
				" (or the next attach or detach, or '" + fix_cmd +
				" status --prune') rolls it back";
		}
	} else if (!present) {
		a.state = AttachState::InterfaceGone;
		a.note =
			"interface " + a.ifname + " (ifindex " + std::to_string(a.ifindex) +
			") is not in this network namespace any more: deleted, or moved to another "
			"namespace (its programs go with it, and 'netext -n NS status' there shows "
			"them)";
		a.fix = fix_cmd + " status --prune (removes records whose programs are attached "
				  "nowhere)";
	} else if (replaced) {
		a.state = AttachState::Replaced;
		a.note = taken;
		a.fix = fix_cmd + " detach " + app_on + ", then attach it again";
	} else if (!all_on) {
		a.state = AttachState::Detached;
		a.note = missing + " no longer on " + a.ifname +
			 ": removed by someone else (ip link set dev " + a.ifname +
			 " xdp off, tc qdisc del dev " + a.ifname + " clsact, ...)";
		a.fix = fix_cmd + " detach " + app_on +
			" (removes the rest and the record), then "
			"attach it again";
	} else {
		a.state = AttachState::Ok;
		if (a.attached_ifname != a.ifname)
			a.note = "interface renamed from " + a.attached_ifname;
	}
	a.live = a.state == AttachState::Ok;
}

namespace {

bool has_tc(const Attachment &a)
{
	return std::any_of(a.hooks.begin(), a.hooks.end(),
			   [](const HookState &h) { return h.hook != HookPoint::Xdp; });
}

} // namespace

void finish_interrupted(const Attachment &a, const std::string &root)
{
	if (a.phase == "damaged")
		return; // nothing to go by; status names the directory to remove
	char name[IF_NAMESIZE] = {};
	if (a.ifindex != 0 && if_indextoname(a.ifindex, name)) {
		bool others_use_tc = false;
		NetnsId here = current_netns();
		for (const Attachment &o : all_records(root))
			others_use_tc |= o.pin_dir != a.pin_dir && made_here(o, here) &&
					 o.ifindex == a.ifindex && has_tc(o);
		undo_hooks(a, a.created_clsact && !others_use_tc);
	}
	if (a.backend == Backend::Native) {
		native_unbind(a.app, a.maps);
		native_unload(a.loaded_modules);
	}
	remove_pins(a.pin_dir);
}

std::vector<Attachment> recover_interrupted(const std::string &root)
{
	std::vector<Attachment> done;
	NetnsId here = current_netns();
	for (Attachment a : all_records(root)) {
		if (a.phase == "attached" || a.phase == "damaged" || !made_here(a, here))
			continue;
		assess(a);
		finish_interrupted(a, root);
		done.push_back(a);
	}
	// Directories a killed attach made before it pinned its record.
	for_each_app_dir(root, [](const fs::path &dir, const std::string &) {
		std::error_code ec;
		if (!fs::exists(dir / kRecordPin, ec) && fs::is_empty(dir, ec))
			remove_pins(dir.string());
	});
	return done;
}

} // namespace attach_steps

std::vector<Attachment> attachments(const std::string &ifname)
{
	std::string messages;
	LibLog log(messages); // libbpf's complaints about hooks that are not there
	std::string root = ensure_bpffs();
	NetnsId here = current_netns();
	std::string scope = netns_scope();
	std::vector<Attachment> out;
	for (Attachment &a : all_records(root)) {
		if (made_here(a, here)) {
			assess(a);
		} else {
			// Made elsewhere: shown here only if its programs are on an interface here
			// (the interface was moved here).
			if (a.phase != "attached" || !find_here(a))
				continue;
			std::string from = a.netns.empty() ? "the initial namespace" : a.netns;
			std::string was = a.attached_ifname;
			assess(a);
			bool tc_lost =
				std::any_of(a.hooks.begin(), a.hooks.end(), [](const HookState &h) {
					return h.hook != HookPoint::Xdp && !h.attached;
				});
			a.note =
				"moved here from " + from + " (where it was " + was + ")" +
				(tc_lost ? "; the move removed its tc filters (the kernel drops an "
					   "interface's qdiscs when it changes namespace)"
					 : (a.note.empty() ? "" : "; " + a.note));
			a.netns = scope;
		}
		if (ifname.empty() || a.ifname == ifname)
			out.push_back(std::move(a));
	}
	std::sort(out.begin(), out.end(), [](const Attachment &x, const Attachment &y) {
		return std::tie(x.ifname, x.app, x.pin_dir) < std::tie(y.ifname, y.app, y.pin_dir);
	});
	return out;
}

std::vector<Attachment> prune()
{
	require_privileges();
	std::string root = ensure_bpffs();
	SignalHold signals;
	BpffsLock lock(root, BpffsLock::Mode::Exclusive, [&] { signals.check("prune"); });
	std::vector<Attachment> out = recover_interrupted(root);
	for (Attachment &a : out)
		a.note = "rolled back an interrupted " +
			 std::string(a.phase == "detaching" ? "detach" : "attach");
	NetnsId here = current_netns();
	NetnsCensus census = find_netns();
	census.paths.erase(here.ino);
	for (Attachment a : all_records(root)) {
		if (a.phase == "damaged")
			continue;
		bool mine = made_here(a, here);
		// Where are its programs? Here, or in any namespace that can be found.
		Attachment probe = a;
		bool found = find_here(probe);
		bool own_ns_found = mine;
		for (const auto &[ino, path] : census.paths) {
			if (found)
				break;
			try {
				NetnsScope in(NetnsScope::Path{path});
				NetnsId there = current_netns();
				if (made_here(a, there))
					own_ns_found = true;
				probe = a;
				found = find_here(probe);
			} catch (const Error &) {
				// gone since the census, or not enterable: not searched
				census.complete = false;
			}
		}
		if (found)
			continue;
		char name[IF_NAMESIZE] = {};
		bool iface_here = mine && if_indextoname(a.ifindex, name) != nullptr;
		if (a.phase != "attached" && own_ns_found && !mine)
			continue; // interrupted in a namespace that exists: rolled back from there
		// Certain: the interface is here and its programs are not on it (removed: a
		// program cannot move without its interface), or every namespace was searched.
		if (!iface_here && !census.complete)
			continue;
		if (iface_here) {
			assess(a);
			undo_hooks(a, false); // what is left of it
		}
		std::string err = remove_pins(a.pin_dir);
		a.state = own_ns_found ? AttachState::InterfaceGone : AttachState::NamespaceGone;
		a.live = false;
		a.note = err.empty()
				 ? "record removed: its programs are attached nowhere"
				 : "its programs are attached nowhere, but its record cannot be "
				   "removed: " +
					   err;
		out.push_back(a);
	}
	return out;
}

AppDescriptor descriptor_of(const Attachment &a)
{
	if (a.source == Source::Builtin)
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
		throw Error("app '" + a.app + "' on " + a.ifname + " has no map '" + map +
				    "' (see 'netext map " + a.ifname + " " + a.app + " list')",
			    ExitCode::NotFound);
	return fd;
}

} // namespace netext::loader
