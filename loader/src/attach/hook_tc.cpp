// Attach, step 6: the tc programs, on a clsact qdisc (created if the interface has none,
// and then owned by this attachment: detach removes it when no netext app still uses it).
// Native: each hook runs a stub that calls into the app's module.
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include <bpf/bpf.h>

namespace netext::loader::attach_steps {

void destroy_clsact(uint32_t ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(ifindex),
		    .attach_point =
			    static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
	bpf_tc_hook_destroy(&hook);
}

namespace {

void create_clsact(AttachPlan &plan, Rollback &rollback)
{
	Attachment &a = plan.record;
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
		    .attach_point = BPF_TC_INGRESS);
	int err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		throw Error("cannot create a clsact qdisc on " + a.ifname + ": " + err_text(err));
	a.created_clsact = err == 0;
	if (a.created_clsact) {
		uint32_t ifindex = a.ifindex;
		rollback.add([ifindex] { destroy_clsact(ifindex); });
	}
}

// The program that goes on the hook: the app's own, or (native) its loaded stub.
bpf_program *tc_program_of(AttachPlan &plan, NativeHandles &native, const HookSpec &h)
{
	bpf_program *bp = bpf_object__find_program_by_name(plan.obj(), h.program.c_str());
	if (!bp)
		throw Error("app '" + plan.record.app + "' has no program '" + h.program + "'");
	if (!plan.native())
		return bp;
	native.stubs.emplace_back(h.program, open_stub(plan, native, h.program, "netext_tc"));
	bpf_object *so = native.stubs.back().second.get();
	if (int e = bpf_object__load(so))
		throw Error("the kernel refused the native stub for '" + h.program +
			    "': " + err_text(e) + "\n" + plan.messages);
	return bpf_object__find_program_by_name(so, "netext_tc");
}

} // namespace

void attach_tc(AttachPlan &plan, NativeHandles &native, Rollback &rollback)
{
	if (!plan.wants_tc)
		return;
	Attachment &a = plan.record;
	create_clsact(plan, rollback);
	for (const HookSpec &h : plan.app.hooks) {
		if (h.hook == HookPoint::Xdp)
			continue;
		bpf_program *bp = tc_program_of(plan, native, h);
		LIBBPF_OPTS(bpf_tc_hook, th, .ifindex = static_cast<int>(a.ifindex),
			    .attach_point = tc_point(h.hook));
		LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(bp));
		if (int e = bpf_tc_attach(&th, &opts))
			throw Error("cannot attach '" + h.program + "' at " + to_string(h.hook) +
				    " on " + a.ifname + ": " + err_text(e));
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

} // namespace netext::loader::attach_steps
