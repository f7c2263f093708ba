// detach(): an attachment's hooks removed (the clsact qdisc too if this attachment created
// it and no other netext app uses it, else it is handed to one that does), its native
// maps unbound, its pins removed, and the modules its attach loaded unloaded.
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include "../lib_log.hpp"

#include <algorithm>
#include <net/if.h>
#include <unistd.h>
#include <xdp/libxdp.h>

namespace netext::loader {

namespace attach_steps {

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

} // namespace

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
		if (a.backend == Backend::Native)
			native_unbind(a.app, a.maps);
		if (a.created_clsact && others_use_tc && heir) {
			// Hand the qdisc to an attachment that still uses it.
			heir->created_clsact = true;
			int fd = bpf_obj_get((heir->pin_dir + "/" + kRecordPin).c_str());
			if (fd >= 0) {
				write_record(fd, *heir);
				close(fd);
			}
		}
		remove_pins(a.pin_dir);
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
