// detach(): an attachment's hooks removed (the clsact qdisc too if this attachment created
// it and no other netext app uses it, else it is handed to one that does), its native
// maps unbound, its pins removed, and the modules its attach loaded unloaded. The
// interface is the one the kernel says its programs are on (renamed: its name now; moved
// here: found by its programs). Nothing is claimed that was not done: a program that stays,
// pins that cannot be removed (a read-only bpffs), or an interface that is not here are
// errors, and then the record stays.
#include "plan.hpp"

#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include "../lib_log.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <unistd.h>
#include <xdp/libxdp.h>

namespace netext::loader {

namespace attach_steps {

void undo_hooks(const Attachment &a, bool remove_clsact)
{
	for (const HookState &h : a.hooks) {
		if (h.prog_id == 0)
			continue; // a pending XDP hook whose program never got there
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
		} else if (tc_prog_at(a.ifindex, h.hook, h.tc_handle, h.tc_priority) == h.prog_id) {
			// only our own program: another one at that place is not ours to remove
			LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
				    .attach_point = tc_point(h.hook));
			LIBBPF_OPTS(bpf_tc_opts, opts, .handle = h.tc_handle,
				    .priority = h.tc_priority);
			bpf_tc_detach(&hook, &opts);
		}
	}
	if (remove_clsact)
		destroy_clsact(a.ifindex);
}

} // namespace attach_steps

using namespace attach_steps;

namespace {

bool has_tc(const Attachment &a)
{
	for (const HookState &h : a.hooks)
		if (h.hook != HookPoint::Xdp)
			return true;
	return false;
}

// Refuses, before anything is changed, when the record and pins cannot be removed.
void require_removable(const Attachment &a, const std::string &root)
{
	int fd = open_record_rw(a.pin_dir);
	int err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	if (err == 0 && access(a.pin_dir.c_str(), W_OK) != 0)
		err = errno;
	if (err == 0)
		return;
	throw Error("cannot detach " + a.app + " from " + a.ifname + ": its record and pins in " +
			    a.pin_dir + " cannot be changed (" + std::strerror(err) +
			    "), so nothing was detached" +
			    (err == EROFS
				     ? "; the bpffs is mounted read-only: remount it read-write "
				       "(mount -o remount,rw " +
					       root + ") and detach again"
				     : ""),
		    err == EACCES || err == EPERM ? ExitCode::Permission : ExitCode::Failure);
}

// Where the programs of an attachment whose interface is not here are now: "" if in no
// namespace that can be found (`searched_all`: and that is every one).
std::string find_elsewhere(const Attachment &a, bool &searched_all)
{
	NetnsCensus census = find_netns();
	census.paths.erase(current_netns().ino);
	searched_all = census.complete;
	for (const auto &[ino, path] : census.paths) {
		try {
			NetnsScope in(NetnsScope::Path{path});
			Attachment probe = a;
			if (find_here(probe)) {
				std::string name = netns_name(ino);
				return probe.ifname + " in network namespace " +
				       (name.empty() ? path : name) + "; detach it there: netext " +
				       (name.empty() ? "(in that namespace) "
						     : "-n " + name + " ") +
				       "detach " + probe.ifname + " " + a.app;
			}
		} catch (const Error &) {
			searched_all = false;
		}
	}
	return "";
}

} // namespace

std::vector<Attachment> detach(const std::string &ifname, const std::string &app)
{
	require_privileges();
	std::string messages;
	LibLog log(messages);
	std::string root = ensure_bpffs();
	SignalHold signals;
	BpffsLock lock(root, BpffsLock::Mode::Exclusive,
		       [&] { signals.check("detach (waiting for another netext command)"); });
	std::vector<Attachment> gone;
	// Attaches and detaches a kill interrupted are rolled back first; those of this
	// interface (and app) count as detached.
	for (Attachment &r : recover_interrupted(root))
		if ((r.ifname == ifname || r.attached_ifname == ifname) &&
		    (app.empty() || r.app == app)) {
			r.note = "an interrupted " +
				 std::string(r.phase == "detaching" ? "detach" : "attach") +
				 " was rolled back";
			gone.push_back(r);
		}
	std::vector<Attachment> all = attachments(ifname);
	for (Attachment &a : all) {
		if (!app.empty() && a.app != app)
			continue;
		signals.check("detach");
		require_removable(a, root);
		if (a.state == AttachState::InterfaceGone) {
			bool searched_all = false;
			std::string where = find_elsewhere(a, searched_all);
			if (!where.empty())
				throw Error(a.app + " is not attached to an interface " + ifname +
						    " here: its interface was moved to another "
						    "namespace "
						    "and is " +
						    where,
					    ExitCode::NotFound);
			if (!searched_all)
				throw Error(
					a.app + "'s interface " + ifname + " (ifindex " +
						std::to_string(a.ifindex) +
						") is not in this namespace, and it cannot be told "
						"whether its programs are attached in a namespace "
						"hidden from here (another PID namespace or /proc "
						"hidden); run netext where its interface is, or "
						"'netext "
						"status --prune' from the host. The record is "
						"kept.",
					ExitCode::NotFound);
			// Its programs are attached nowhere: only the record is left.
			if (std::string err = remove_pins(a.pin_dir); !err.empty())
				throw Error("cannot remove " + a.pin_dir + ": " + err);
			a.note = "its interface is gone; removed its record";
			gone.push_back(a);
			continue;
		}
		bool others_use_tc = false;
		Attachment *heir = nullptr;
		for (Attachment &o : all) {
			if (&o != &a && o.ifindex == a.ifindex && has_tc(o) &&
			    o.state != AttachState::InterfaceGone &&
			    std::find_if(gone.begin(), gone.end(), [&](const Attachment &g) {
				    return g.pin_dir == o.pin_dir;
			    }) == gone.end()) {
				others_use_tc = true;
				heir = &o;
			}
		}
		// Journaled: a kill from here on is finished by the next command.
		if (int fd = open_record_rw(a.pin_dir); fd >= 0) {
			Attachment marked = a;
			marked.phase = "detaching";
			marked.pid = static_cast<int>(getpid());
			marked.ifname = marked.attached_ifname; // the record keeps its own names
			try {
				write_record(fd, marked);
			} catch (const Error &) {
				close(fd);
				throw;
			}
			close(fd);
		}
		undo_hooks(a, a.created_clsact && !others_use_tc);
		Attachment after = a;
		after.phase = "attached";
		assess(after);
		for (const HookState &h : after.hooks)
			if (h.attached)
				throw Error("could not remove " + std::string(to_string(h.hook)) +
					    " program " + h.program + " (id " +
					    std::to_string(h.prog_id) + ") of " + a.app + " from " +
					    a.ifname +
					    "; its record is kept (phase detaching: the next "
					    "detach tries again)" +
					    (messages.empty() ? "" : ": " + messages));
		if (a.backend == Backend::Native)
			native_unbind(a.app, a.maps);
		if (a.created_clsact && others_use_tc && heir) {
			// Hand the qdisc to an attachment that still uses it.
			heir->created_clsact = true;
			if (int fd = open_record_rw(heir->pin_dir); fd >= 0) {
				Attachment rec = *heir;
				rec.ifname = rec.attached_ifname;
				write_record(fd, rec);
				close(fd);
			}
		}
		if (std::string err = remove_pins(a.pin_dir); !err.empty())
			throw Error("detached " + a.app + "'s programs from " + a.ifname +
				    ", but its pins in " + a.pin_dir +
				    " cannot be removed: " + err);
		a.note.clear();
		if (a.backend == Backend::Native && !a.loaded_modules.empty()) {
			std::string stayed = native_unload(a.loaded_modules);
			if (!stayed.empty())
				a.note = "still loaded (in use): " + stayed;
		}
		gone.push_back(a);
	}
	if (gone.empty())
		throw Error(app.empty() ? "nothing of netext is attached to " + ifname +
						  " (see 'netext status')"
					: "app '" + app + "' is not attached to " + ifname +
						  " (see 'netext status')",
			    ExitCode::NotFound);
	return gone;
}

} // namespace netext::loader
