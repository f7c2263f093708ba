// Attaching apps to interfaces, and finding, inspecting and detaching them later.
//
// An attachment's maps, programs and record are pinned under
//   <bpffs>/netext/[netns:NAME/]<ifname>/<app>/
// (the names at attach time: only a storage location) so they outlive the process that
// attached them. An attachment is identified by kernel objects, as its record says: its
// network namespace (nsfs inode and cookie), its interface (ifindex there) and its
// programs (ids, and tc handle/priority). Its state is what the kernel says now: are its
// programs still on those hooks (status never trusts the record alone), and a renamed or
// moved interface is followed by its programs.
//
// XDP goes through libxdp's multi-program dispatcher, so netext coexists with other XDP
// programs; tc through a clsact qdisc (created if absent, removed on detach only if netext
// created it). Changes are serialised by an flock on the bpffs root (BpffsLock) and
// journaled: the record is pinned first (phase "attaching", naming each hook before it is
// made), so an attach killed at any point is found and rolled back by the next attach,
// detach or `status --prune`; SIGINT, SIGTERM, SIGHUP and SIGQUIT are held during the
// change and roll it back. Every step of an attach is undone if a later one fails.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <netext/loader/app.hpp>

namespace netext::loader {

// Which code runs an app's hooks: its eBPF programs, or its kernel module through netext.ko
// and a stub program (native.hpp).
enum class Backend { Ebpf, Native };
// How XDP is attached: native (driver) mode, skb (generic) mode, or native falling back to
// skb (Auto; requests only: an attachment records the mode it got).
enum class XdpMode { Auto, Native, Skb };
// Where an attached app came from.
enum class Source {
	Builtin,    // embedded in this program (apps/)
	ObjectFile, // an eBPF object file
	BuildDir,   // a directory made by `netext build` (build.hpp)
};
// Their names in the attachment record and in the CLI's output: "ebpf"/"native",
// "auto"/"native"/"skb", "builtin"/"object"/"build".
const char *to_string(Backend b);
const char *to_string(XdpMode m);
const char *to_string(Source s);

struct AttachRequest {
	std::string ifname;
	std::string app; // a built-in app's name, or the path of an object file or build directory
	XdpMode mode = XdpMode::Auto;
	std::map<std::string, std::string> sets; // --set NAME=VALUE
	Backend backend = Backend::Ebpf;
};

struct HookState {
	HookPoint hook;
	std::string program;
	uint32_t prog_id = 0;
	uint32_t tc_handle = 0, tc_priority = 0;
	// Only in a record of an attach under way: libxdp has been asked to attach this XDP
	// program, whose id is not known yet (the program named `program` loaded after the
	// record's intent_ns is it).
	bool pending = false;
	// What the kernel says now (attachments()): the program is on its hook.
	bool attached = false;
};

// An attachment's state, from the kernel (attachments()):
enum class AttachState {
	Ok,	       // every program is on its hook
	Detached,      // some program was removed from its hook by someone else
	Replaced,      // another program took a hook's place (tc handle/priority, XDP slot)
	InterfaceGone, // the interface is not in this namespace any more (deleted or moved)
	Interrupted,   // an attach or detach was killed before it finished
	NamespaceGone, // (other namespaces, status --prune) its namespace no longer exists
	CannotTell,    // (other namespaces) its namespace cannot be found from here
};
// "ok", "detached", "replaced", "interface-gone", "interrupted", "netns-gone", "unknown"
const char *to_string(AttachState s);

struct Attachment {
	std::string ifname; // its name now (the name it had when attached if it is gone)
	uint32_t ifindex = 0;
	std::string netns; // "" or "netns:NAME" (or netns:INODE), its namespace now
	// Identity: the namespace's nsfs inode and cookie (0: a record from before they were
	// kept, identified by the scope of its pin directory), and the name at attach time.
	uint64_t netns_ino = 0, netns_cookie = 0;
	std::string attached_ifname;
	// "attached"; "attaching" or "detaching" while a change is under way (or was killed)
	std::string phase = "attached";
	int pid = 0;		// the process making the change (phase != attached)
	uint64_t intent_ns = 0; // CLOCK_BOOTTIME when the change began (bpf_prog_info load_time)
	std::string app;
	Source source = Source::Builtin;
	std::string source_path; // ObjectFile, BuildDir: its absolute path; Builtin: ""
	Backend backend = Backend::Ebpf;
	std::optional<XdpMode> xdp_mode; // Native or Skb as attached; empty without XDP
	bool dispatcher = true;		 // XDP through libxdp's dispatcher (false: attached alone)
	bool created_clsact = false;
	std::vector<HookState> hooks;
	std::map<std::string, std::string> config;
	std::vector<std::string> maps;
	int64_t attached_at = 0; // unix seconds
	std::string pin_dir;
	AttachState state = AttachState::Ok;
	bool live = true; // state == Ok
	std::string note; // what is wrong when not live, or about a fallback
	std::string fix;  // the command that fixes it, when not live
	// native: the kernel modules this attach loaded (unloaded again by detach)
	std::vector<std::string> loaded_modules;

	// "builtin", or the path of the object file or build directory (status, --json)
	[[nodiscard]] std::string source_text() const
	{
		return source == Source::Builtin ? "builtin" : source_path;
	}
};

// Throws netext::Error, leaving nothing behind, on any failure (a signal included). Error
// messages name the cause and the fix, without a program's prefix (the CLI adds
// "netext: ").
Attachment attach(const AttachRequest &req);
// Detaches one app, or all netext apps on ifname (its name now) when app is empty;
// returns what was detached. Throws netext::Error, having removed nothing of that
// attachment, if there is nothing to detach, if its programs cannot be removed, if its
// pins cannot be (a read-only bpffs), or if its interface is not here and its programs
// may still be attached elsewhere (then the message says where, or how to prune).
std::vector<Attachment> detach(const std::string &ifname, const std::string &app = "");
// Attachments in the current network namespace (all interfaces when ifname is empty):
// those made here, and those whose programs are on an interface here now (moved in), each
// with its state from the kernel. Read-only.
std::vector<Attachment> attachments(const std::string &ifname = "");
// `status --prune`: rolls back interrupted changes, and removes the records (and pins) of
// attachments whose programs are on no interface of any namespace that can be found, when
// that is certain (NetnsCensus::complete, or the namespace is this one). Returns what was
// removed or rolled back; the rest stays.
std::vector<Attachment> prune();
// The descriptor used for an attachment (built-in, or derived from its pins).
AppDescriptor descriptor_of(const Attachment &a);
// A pinned map's fd (caller closes), or throws.
int open_pinned_map(const Attachment &a, const std::string &map);

// Derives a descriptor from an object file (for apps that are not built in).
AppDescriptor describe_object(const std::string &path);

} // namespace netext::loader
