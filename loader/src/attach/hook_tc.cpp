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
	// (A kill between the qdisc's creation and the record's next write leaves an empty
	// clsact qdisc behind: microseconds, and harmless.)
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
		update_record(plan);
	}
}

// The tc filters are made at handle 1 and a priority chosen here (from 49152, the
// kernel's first automatic one, down) that is free on the hook and claimed by no other
// netext record of the interface, so that the record names the filter before it exists.
constexpr uint32_t kTcHandle = 1, kTcFirstPriority = 0xC000, kTcPriorities = 1024;

bool priority_free(const AttachPlan &plan, HookPoint hook, uint32_t prio)
{
	for (const Attachment &o : attachments())
		if (o.ifindex == plan.record.ifindex)
			for (const HookState &h : o.hooks)
				if (h.hook == hook && h.tc_priority == prio)
					return false;
	return tc_prog_at(plan.record.ifindex, hook, kTcHandle, prio) == 0;
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

void attach_tc(AttachPlan &plan, NativeHandles &native, Rollback &rollback,
	       const SignalHold &signals)
{
	if (!plan.wants_tc)
		return;
	Attachment &a = plan.record;
	create_clsact(plan, rollback);
	step("clsact", signals);
	for (const HookSpec &h : plan.app.hooks) {
		if (h.hook == HookPoint::Xdp)
			continue;
		bpf_program *bp = tc_program_of(plan, native, h);
		bpf_prog_info info{};
		uint32_t len = sizeof(info);
		bpf_obj_get_info_by_fd(bpf_program__fd(bp), &info, &len);
		int err = -EEXIST;
		for (uint32_t prio = kTcFirstPriority;
		     err == -EEXIST && prio > kTcFirstPriority - kTcPriorities; prio--) {
			if (!priority_free(plan, h.hook, prio))
				continue;
			// journaled first: the next command finds it at (handle, priority)
			a.hooks.push_back({h.hook, h.program, info.id, kTcHandle, prio});
			update_record(plan);
			LIBBPF_OPTS(bpf_tc_hook, th, .ifindex = static_cast<int>(a.ifindex),
				    .attach_point = tc_point(h.hook));
			LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(bp),
				    .handle = kTcHandle, .priority = prio);
			err = bpf_tc_attach(&th, &opts);
			if (err) {
				a.hooks.pop_back();
				continue;
			}
			Attachment undo;
			undo.ifindex = a.ifindex;
			undo.hooks = {a.hooks.back()};
			rollback.add([undo] { undo_hooks(undo, false); });
		}
		if (err)
			throw Error("cannot attach '" + h.program + "' at " + to_string(h.hook) +
				    " on " + a.ifname + ": " +
				    (err == -EEXIST ? "no free tc priority near 49152"
						    : err_text(err)));
		step(to_string(h.hook), signals);
	}
}

} // namespace netext::loader::attach_steps
