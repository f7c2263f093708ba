// Attaching apps to interfaces, and finding, inspecting and detaching them later.
//
// An attachment's maps, programs and state are pinned under
//   <bpffs>/netext/[netns:NAME/]<ifname>/<app>/
// so they outlive the process that attached them. XDP goes through libxdp's
// multi-program dispatcher, so netext coexists with other XDP programs; tc through a
// clsact qdisc (created if absent, removed on detach only if netext created it). Every
// step of an attach is undone if a later one fails.
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
};

struct Attachment {
	std::string ifname;
	uint32_t ifindex = 0;
	std::string netns; // "" or "netns:NAME"
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
	bool live = true; // its interface and programs are still there
	std::string note; // what is wrong when not live, or about a fallback
	// native: the kernel modules this attach loaded (unloaded again by detach)
	std::vector<std::string> loaded_modules;

	// "builtin", or the path of the object file or build directory (status, --json)
	[[nodiscard]] std::string source_text() const
	{
		return source == Source::Builtin ? "builtin" : source_path;
	}
};

// Throws netext::Error, leaving nothing behind, on any failure. Error messages name the
// cause and the fix, without a program's prefix (the CLI adds "netext: ").
Attachment attach(const AttachRequest &req);
// Detaches one app, or all netext apps on ifname when app is empty; returns what was
// detached. Throws netext::Error if there is nothing to detach.
std::vector<Attachment> detach(const std::string &ifname, const std::string &app = "");
// Attachments in the current network namespace (all interfaces when ifname is empty).
std::vector<Attachment> attachments(const std::string &ifname = "");
// The descriptor used for an attachment (built-in, or derived from its pins).
AppDescriptor descriptor_of(const Attachment &a);
// A pinned map's fd (caller closes), or throws.
int open_pinned_map(const Attachment &a, const std::string &map);

// Derives a descriptor from an object file (for apps that are not built in).
AppDescriptor describe_object(const std::string &path);

} // namespace netext::loader
