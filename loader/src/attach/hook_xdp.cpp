// Attach, step 5: the object loaded (through libxdp when the app has an XDP program, which
// loads the whole object) and its XDP program attached, in the mode asked for; Auto falls
// back from native to skb mode with a note. Without XDP, the eBPF object is just loaded.
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include <xdp/libxdp.h>

namespace netext::loader::attach_steps {

namespace {

const HookSpec &xdp_hook(const AppDescriptor &d)
{
	const HookSpec *xh = nullptr;
	for (const HookSpec &h : d.hooks)
		if (h.hook == HookPoint::Xdp)
			xh = &h;
	return *xh;
}

// The app's XDP program as libxdp sees it: its own, or (native) its stub's.
xdp_program *xdp_program_of(AttachPlan &plan, NativeHandles &native, const HookSpec &xh)
{
	bpf_object *obj = plan.obj();
	bpf_program *bp = bpf_object__find_program_by_name(obj, xh.program.c_str());
	if (!bp)
		throw Error("app '" + plan.record.app + "' has no program '" + xh.program + "'");
	xdp_program *xp = nullptr;
	if (plan.native()) {
		native.stubs.emplace_back(xh.program,
					  open_stub(plan, native, xh.program, "netext_xdp"));
		DECLARE_LIBXDP_OPTS(xdp_program_opts, xo, .obj = native.stubs.back().second.get(),
				    .prog_name = "netext_xdp");
		xp = xdp_program__create(&xo);
	} else {
		xp = xdp_program__from_bpf_obj(obj, bpf_program__section_name(bp));
	}
	if (!xp || libxdp_get_error(xp))
		throw Error("libxdp cannot use app '" + plan.record.app + "': " + plan.messages);
	return xp;
}

// Notes that libxdp attached the program alone, when its dispatcher was refused.
void note_dispatcher(AttachPlan &plan)
{
	Attachment &a = plan.record;
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(a.ifindex));
	if (!mp || libxdp_get_error(mp))
		return;
	if (xdp_multiprog__is_legacy(mp)) {
		// libxdp's own reason, e.g. "Compatibility check for dispatcher program failed:
		// Operation not permitted".
		std::string why;
		if (auto at = plan.messages.find("Compatibility check"); at != std::string::npos)
			why = plan.messages.substr(at, plan.messages.find('\n', at) - at);
		a.dispatcher = false;
		a.note += std::string(a.note.empty() ? "" : "; ") +
			  "libxdp could not use its multi-program dispatcher here (" +
			  (why.empty() ? "the kernel refused it" : why) +
			  "), so the program is attached alone and no other XDP program can "
			  "share " +
			  a.ifname;
	}
	xdp_multiprog__close(mp);
}

} // namespace

void attach_xdp(AttachPlan &plan, NativeHandles &native, Rollback &rollback)
{
	Attachment &a = plan.record;
	if (!plan.wants_xdp) {
		// native: the maps were created by bind_native, and no program of the app loads
		if (!plan.native())
			if (int err = bpf_object__load(plan.obj()); err)
				throw Error("the kernel refused app '" + a.app +
					    "': " + err_text(err) + "\n" + plan.messages);
		return;
	}
	const HookSpec &xh = xdp_hook(plan.app);
	std::unique_ptr<xdp_program, void (*)(xdp_program *)> xp(xdp_program_of(plan, native, xh),
								 xdp_program__close);
	// Journaled before libxdp loads and attaches it: a program named like it loaded after
	// the record's intent_ns, on this interface, is this attach's (pending_xdp_prog).
	a.hooks.push_back({HookPoint::Xdp, xh.program, 0, 0, 0, true});
	update_record(plan);
	const XdpMode asked = plan.req.mode;
	XdpMode mode = asked == XdpMode::Skb ? XdpMode::Skb : XdpMode::Native;
	auto try_attach = [&] {
		return xdp_program__attach(xp.get(), static_cast<int>(a.ifindex),
					   mode == XdpMode::Skb ? XDP_MODE_SKB : XDP_MODE_NATIVE,
					   0);
	};
	int err = try_attach();
	if (err && asked == XdpMode::Auto && err != -EACCES && err != -EPERM) {
		a.note = "native XDP failed on " + a.ifname + " (" + err_text(err) +
			 "); fell back to skb (generic) mode";
		mode = XdpMode::Skb;
		err = try_attach();
	}
	if (err) {
		// libxdp attached nothing; the rollback removes the record
		a.hooks.pop_back();
		throw Error("cannot attach '" + a.app + "' to " + a.ifname + " at XDP (" +
			    to_string(mode) + " mode): " + err_text(err) +
			    (mode == XdpMode::Native ? " (try --mode skb)" : "") + "\n" +
			    plan.messages);
	}
	a.xdp_mode = mode;
	a.hooks.back().prog_id = xdp_program__id(xp.get());
	a.hooks.back().pending = false;
	Attachment undo = a;
	rollback.add([undo] { undo_hooks(undo, false); });
	note_dispatcher(plan);
	update_record(plan);
}

} // namespace netext::loader::attach_steps
