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
#include <string>
#include <vector>

#include <netext/loader/app.hpp>

namespace netext::loader {

enum class XdpMode { Auto, Native, Skb };

struct AttachRequest {
	std::string ifname;
	std::string app; // a built-in app's name, or a path to an eBPF object file
	XdpMode mode = XdpMode::Auto;
	std::map<std::string, std::string> sets; // --set NAME=VALUE
	std::string backend = "ebpf"; // or "native": the app's kernel module (native.hpp)
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
	std::string source; // "builtin" or the object file's path
	std::string backend = "ebpf";
	std::string xdp_mode;	// "native", "skb" or "" without XDP
	bool dispatcher = true; // XDP through libxdp's dispatcher (false: attached alone)
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
};

// Throws netext::Error, leaving nothing behind, on any failure.
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

// Parses "native" / "skb" / "auto".
XdpMode parse_xdp_mode(const std::string &s);

} // namespace netext::loader
