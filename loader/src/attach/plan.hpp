// The attach as named steps (attach.cpp runs them in order), each taking the plan and the
// rollback: resolve the app (resolve.cpp), check the XDP slot (xdp_slot.cpp), apply the
// knobs (knobs.cpp), bind native (bind_native.cpp), attach XDP (hook_xdp.cpp), attach tc
// (hook_tc.cpp), pin (pin.cpp), write the record (record.cpp). A step that fails throws;
// the rollback then undoes, newest first, what the steps before it registered.
// Internal to libnetext.
#pragma once

#include <netext/loader/app.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/build.hpp>
#include <netext/loader/native.hpp>
#include <netext/loader/object.hpp>

#include <bpf/libbpf.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netext::loader::attach_steps {

// Runs the undo steps of a half-done operation in reverse, unless committed.
class Rollback {
public:
	Rollback() = default;
	Rollback(const Rollback &) = delete;
	Rollback &operator=(const Rollback &) = delete;
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

// What attach works from (resolved once by resolve_app) and what it has done so far.
struct AttachPlan {
	explicit AttachPlan(const AttachRequest &r) : req(r) {}
	AttachPlan(const AttachPlan &) = delete;
	AttachPlan &operator=(const AttachPlan &) = delete;

	const AttachRequest &req;
	AppDescriptor app; // the built-in descriptor, or one derived from the object
	std::optional<BpfObject> object;
	std::optional<BuiltApp> built; // a `netext build` directory
	std::string dir;	       // where the attachment is pinned
	bool wants_xdp = false, wants_tc = false;
	// native: the modules' directory, the app module's name and file
	std::string module_dir, app_module, app_ko;
	// The attachment as far as it got; the record written by the last step.
	Attachment record;
	// What libbpf and libxdp printed (the verifier's log), for error messages.
	std::string messages;

	[[nodiscard]] bool native() const { return req.backend == Backend::Native; }
	[[nodiscard]] bpf_object *obj() const { return object->get(); }
};

using BpfObjectPtr = std::unique_ptr<bpf_object, void (*)(bpf_object *)>;

// The native backend's handles during an attach: /dev/netext and the stub objects (one per
// hook). Declared after the Rollback so they close before it unloads the modules they use.
struct NativeHandles {
	std::unique_ptr<native::Device> device;
	std::vector<std::pair<std::string, BpfObjectPtr>> stubs; // (app program, its stub)
};

// ---- the steps, in order --------------------------------------------------------------

// Privileges, the interface, the app (built-in, object file or build directory), what the
// backend allows, the pin directory (refused if the app is attached there already).
void resolve_app(AttachPlan &plan);
// Refuses an XDP program on the interface that did not come through libxdp.
void check_xdp_slot(const AttachPlan &plan);
// --set values into the object's .rodata and map sizes (record.config).
void apply_knobs(AttachPlan &plan);
// native: every read-only knob's value in the object (default or set) into the app
// module's parameters (called by bind_native).
void set_native_knobs(const AttachPlan &plan);
// native: netext.ko and the app's module loaded, the app's maps created and bound to the
// module, the module's knobs set.
void bind_native(AttachPlan &plan, NativeHandles &native, Rollback &rollback);
// Loads the object (through libxdp when it has XDP) and attaches XDP.
void attach_xdp(AttachPlan &plan, NativeHandles &native, Rollback &rollback);
// The clsact qdisc (if absent) and each tc program.
void attach_tc(AttachPlan &plan, NativeHandles &native, Rollback &rollback);
// Maps by name, programs as prog_<name>, under plan.dir.
void pin(AttachPlan &plan, const NativeHandles &native, Rollback &rollback);
// The attachment record (JSON in a pinned one-entry map) under plan.dir.
void write_record(const AttachPlan &plan);

// native: the stub object for one of the app's programs: only stub_program (netext_xdp or
// netext_tc) is loaded, with the program's slot in netext.ko as a constant in .rodata.
BpfObjectPtr open_stub(const AttachPlan &plan, const NativeHandles &native,
		       const std::string &program, const char *stub_program);

// ---- shared by attach and detach ------------------------------------------------------

std::string err_text(int err);
// NETEXT_FAULT_INJECT=<step> makes attach fail right after that step (the rollback tests).
void fault_point(const char *step);
// <bpffs>/netext/[scope/]ifname
std::string iface_dir(const std::string &root, const std::string &scope, const std::string &ifname);
void require_privileges();
inline bpf_tc_attach_point tc_point(HookPoint h)
{
	return h == HookPoint::TcIngress ? BPF_TC_INGRESS : BPF_TC_EGRESS;
}
// Removes the interface's clsact qdisc (and every filter on it).
void destroy_clsact(uint32_t ifindex);
// Detaches an attachment's hooks (already-gone ones are fine), and the clsact qdisc if asked.
void undo_hooks(const Attachment &a, bool remove_clsact);
// Removes a pin directory and its emptied parents up to .../netext.
void remove_pins(const std::string &dir);
// native: unbinds an app's maps from its module (best effort).
void native_unbind(const std::string &app, const std::vector<std::string> &maps) noexcept;
// native: unloads what an attach loaded, newest first (netext.ko only when no app is
// registered with it); returns the modules that stayed.
std::string native_unload(const std::vector<std::string> &loaded) noexcept;

// The attachment record.
inline constexpr const char *kRecordPin = "state";
Attachment read_record(const std::string &dir);
void write_record(int map_fd, const Attachment &a);

} // namespace netext::loader::attach_steps
