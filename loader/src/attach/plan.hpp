// The attach as named steps (attach.cpp runs them in order), each taking the plan and the
// rollback: resolve the app (resolve.cpp), apply the knobs (knobs.cpp); then, holding
// signals (attach.cpp) and the bpffs lock: roll back what a killed command left
// (attachments.cpp), refuse an app attached already (resolve.cpp) or a foreign XDP
// program (xdp_slot.cpp), pin the record as an intent (record.cpp), bind native
// (bind_native.cpp), attach XDP (hook_xdp.cpp), attach tc (hook_tc.cpp), pin (pin.cpp),
// commit the record. A step that fails throws; the rollback then undoes, newest first,
// what the steps before it registered. The record names each hook before it is made, so
// that what a killed attach left is found from the kernel and undone by the next command.
// Internal to libnetext.
#pragma once

#include <netext/loader/app.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/build.hpp>
#include <netext/loader/native.hpp>
#include <netext/loader/object.hpp>

#include <bpf/libbpf.h>
#include <netext/loader/netns.hpp>

#include <csignal>

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
	// The attachment as far as it got; written to the pinned record (record_fd) after
	// every step, and committed (phase "attached") by the last.
	Attachment record;
	int record_fd = -1;
	std::string root; // the bpffs
	// What libbpf and libxdp printed (the verifier's log), for error messages.
	std::string messages;

	~AttachPlan();
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
// backend allows, the bpffs.
void resolve_app(AttachPlan &plan);
// (under the lock) Refuses an app the kernel says is attached to the interface already.
void check_not_attached(const AttachPlan &plan);
// The pin directory and the record in it, phase "attaching" (removed by the rollback).
void begin_record(AttachPlan &plan, Rollback &rollback);
// The record as far as the attach got (throws if it cannot be written).
void update_record(const AttachPlan &plan);
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
// The clsact qdisc (if absent) and each tc program, at a handle and priority recorded
// before it is attached.
class SignalHold;
void attach_tc(AttachPlan &plan, NativeHandles &native, Rollback &rollback,
	       const SignalHold &signals);
// Maps by name, programs as prog_<name>, under plan.dir.
void pin(AttachPlan &plan, const NativeHandles &native, Rollback &rollback);
// The record committed: phase "attached".
void commit_record(AttachPlan &plan);

// native: the stub object for one of the app's programs: only stub_program (netext_xdp or
// netext_tc) is loaded, with the program's slot in netext.ko as a constant in .rodata.
BpfObjectPtr open_stub(const AttachPlan &plan, const NativeHandles &native,
		       const std::string &program, const char *stub_program);

// ---- shared by attach and detach ------------------------------------------------------

std::string err_text(int err);
// NETEXT_FAULT_INJECT=<step> makes attach fail right after that step (the rollback tests).
void fault_point(const char *step);

// Holds SIGINT, SIGTERM, SIGHUP and SIGQUIT while a change is made, so that one of them
// rolls the change back (check() throws) instead of killing the process half-way. A
// signal that arrives after the last check is delivered when the hold ends.
class SignalHold {
public:
	SignalHold();
	~SignalHold();
	SignalHold(const SignalHold &) = delete;
	SignalHold &operator=(const SignalHold &) = delete;
	// Throws netext::Error naming the signal if one is pending (and takes it).
	void check(const std::string &what) const;

private:
	sigset_t held_{}, old_{};
};

// Between two steps of a change: NETEXT_FAULT_INJECT, a pending signal, and (tests only)
// NETEXT_TEST_PAUSE_AT=<step>, which stops the process (SIGSTOP) there so that a test can
// signal it at that exact point.
void step(const char *name, const SignalHold &signals, const char *what = "attach");
// CLOCK_BOOTTIME in ns, the clock of bpf_prog_info.load_time.
uint64_t boottime_ns();
// <bpffs>/netext/[scope/]ifname
std::string iface_dir(const std::string &root, const std::string &scope, const std::string &ifname);
void require_privileges();
inline bpf_tc_attach_point tc_point(HookPoint h)
{
	return h == HookPoint::TcIngress ? BPF_TC_INGRESS : BPF_TC_EGRESS;
}
// Removes the interface's clsact qdisc (and every filter on it).
void destroy_clsact(uint32_t ifindex);
// Detaches an attachment's hooks that are still its own (a hook where another program is
// now is left alone; already-gone ones are fine), and the clsact qdisc if asked.
void undo_hooks(const Attachment &a, bool remove_clsact);

// ---- the kernel's truth (attachments.cpp) ---------------------------------------------------

// The ids of every XDP program on the interface: the attached one(s) and, behind libxdp's
// dispatcher, each program it runs.
std::vector<uint32_t> xdp_prog_ids(uint32_t ifindex);
// The id of the tc program at (handle, priority) of the hook, 0 if none.
uint32_t tc_prog_at(uint32_t ifindex, HookPoint hook, uint32_t handle, uint32_t priority);
// For a pending XDP hook: the id of the program named like it, loaded since intent_ns, on
// the interface (0 if none).
uint32_t pending_xdp_prog(const Attachment &a, const HookState &h, uint32_t ifindex);
// Fills in the state of a record made in the current namespace (hooks' `attached`,
// state, live, note, fix, ifname now).
void assess(Attachment &a);
// Whether any of the record's programs is on an interface of the current namespace; sets
// a.ifindex/ifname to it.
bool find_here(Attachment &a);
// Every record under the bpffs (any namespace), unassessed.
std::vector<Attachment> all_records(const std::string &root);
// Is the record one of the current namespace?
bool made_here(const Attachment &a, const NetnsId &here);
// Rolls back (attaching) or finishes (detaching) an interrupted change of a record of the
// current namespace: its hooks undone, native maps unbound, modules unloaded, pins removed.
void finish_interrupted(const Attachment &a, const std::string &root);
// (under the exclusive lock) finish_interrupted for every record of this namespace left
// in phase attaching/detaching by a killed command; removes directories without a record.
std::vector<Attachment> recover_interrupted(const std::string &root);
// Removes a pin directory and its emptied parents up to .../netext; returns "" or why the
// directory could not be removed.
std::string remove_pins(const std::string &dir);
// native: unbinds an app's maps from its module (best effort).
void native_unbind(const std::string &app, const std::vector<std::string> &maps) noexcept;
// native: unloads what an attach loaded, newest first (netext.ko only when no app is
// registered with it); returns the modules that stayed.
std::string native_unload(const std::vector<std::string> &loaded) noexcept;

// The attachment record.
inline constexpr const char *kRecordPin = "state";
// Read through a read-only fd (works on a read-only bpffs); throws if unreadable.
Attachment read_record(const std::string &dir);
void write_record(int map_fd, const Attachment &a);
// The record's map opened for writing, or -1 with errno.
int open_record_rw(const std::string &dir);

} // namespace netext::loader::attach_steps
