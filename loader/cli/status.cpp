// `netext status`: attachments, and the XDP programs of interfaces (like `xdp-loader status`).
#include "cli.hpp"

#include <algorithm>
#include <cstdio>
#include <net/if.h>
#include <netext/loader/error.hpp>
#include <xdp/libxdp.h>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

// The XDP programs on an interface, as libxdp sees them (like `xdp-loader status`).
json xdp_programs(uint32_t ifindex, const std::vector<Attachment> &ours)
{
	json out = json::array();
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
	if (!mp || libxdp_get_error(mp))
		return out;
	auto owner = [&](uint32_t id) {
		for (const Attachment &a : ours)
			for (const HookState &h : a.hooks)
				if (h.prog_id == id)
					return a.app;
		return std::string();
	};
	const char *mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB ? "skb" : "native";
	if (xdp_multiprog__is_legacy(mp)) {
		xdp_program *p = xdp_multiprog__main_prog(mp);
		out.push_back({{"name", xdp_program__name(p)},
			       {"id", xdp_program__id(p)},
			       {"priority", nullptr},
			       {"mode", mode},
			       {"dispatcher", false},
			       {"netext_app", owner(xdp_program__id(p))}});
	} else {
		for (xdp_program *p = xdp_multiprog__next_prog(nullptr, mp); p;
		     p = xdp_multiprog__next_prog(p, mp))
			out.push_back({{"name", xdp_program__name(p)},
				       {"id", xdp_program__id(p)},
				       {"priority", xdp_program__run_prio(p)},
				       {"mode", mode},
				       {"dispatcher", true},
				       {"netext_app", owner(xdp_program__id(p))}});
	}
	xdp_multiprog__close(mp);
	return out;
}

int cmd_prune(const CommandLine &args)
{
	std::vector<Attachment> done = prune();
	if (args.options.flag("json")) {
		json j = json::array();
		for (const Attachment &a : done)
			j.push_back(attachment_json(a));
		std::printf("%s\n", j.dump(2).c_str());
		return 0;
	}
	for (const Attachment &a : done)
		std::printf("pruned %s on %s (%s): %s\n", a.app.c_str(), a.ifname.c_str(),
			    a.netns.empty() ? "initial namespace" : a.netns.c_str(),
			    a.note.c_str());
	if (done.empty())
		std::printf("nothing to prune\n");
	return 0;
}

int cmd_status(const CommandLine &args)
{
	if (args.options.flag("prune"))
		return cmd_prune(args);
	std::string ifname = args.args.empty() ? "" : args.args[0];
	if (!ifname.empty() && if_nametoindex(ifname.c_str()) == 0 && attachments(ifname).empty())
		throw Error("interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	std::vector<Attachment> all = attachments(ifname);
	// Interfaces to report: the one asked for, or every interface with XDP or netext.
	std::vector<std::pair<std::string, uint32_t>> ifaces;
	if (!ifname.empty()) {
		ifaces.emplace_back(ifname, if_nametoindex(ifname.c_str()));
	} else {
		if (struct if_nameindex *ni = if_nameindex()) {
			for (struct if_nameindex *p = ni; p->if_index != 0; p++)
				ifaces.emplace_back(p->if_name, p->if_index);
			if_freenameindex(ni);
		}
	}
	json j = {{"attachments", json::array()}, {"interfaces", json::array()}};
	for (const Attachment &a : all)
		j["attachments"].push_back(attachment_json(a));
	for (const auto &[name, idx] : ifaces) {
		json progs = idx ? xdp_programs(idx, all) : json::array();
		const std::string &iface =
			name; // a lambda may not capture a structured binding in clang 14
		bool has_netext = std::any_of(all.begin(), all.end(), [&](const Attachment &a) {
			return a.ifname == iface;
		});
		if (!ifname.empty() || !progs.empty() || has_netext)
			j["interfaces"].push_back(
				{{"ifname", name}, {"ifindex", idx}, {"xdp", progs}});
	}
	if (args.options.flag("json")) {
		std::printf("%s\n", j.dump(2).c_str());
		return 0;
	}
	std::printf("%-16s %-12s %-8s %-14s %-20s %s\n", "Interface", "App", "Backend", "State",
		    "Attached", "Hooks");
	std::printf("%s\n", std::string(100, '-').c_str());
	if (all.empty())
		std::printf("(no netext apps attached%s)\n",
			    ifname.empty() ? "" : (" to " + ifname).c_str());
	for (const Attachment &a : all) {
		std::printf("%-16s %-12s %-8s %-14s %-20s %s\n", a.ifname.c_str(), a.app.c_str(),
			    to_string(a.backend), to_string(a.state),
			    time_text(a.attached_at).c_str(), hook_list(a).c_str());
		if (!a.note.empty())
			std::printf("%-16s note: %s\n", "", a.note.c_str());
		if (!a.fix.empty())
			std::printf("%-16s fix: %s\n", "", a.fix.c_str());
		for (const auto &[k, v] : a.config)
			std::printf("%-16s set %s=%s\n", "", k.c_str(), v.c_str());
	}
	std::printf("\n%-16s %-5s %-24s %-7s %-8s %s\n", "Interface", "Prio", "XDP program", "Mode",
		    "ID", "Owner");
	std::printf("%s\n", std::string(100, '-').c_str());
	for (const json &i : j["interfaces"]) {
		if (i["xdp"].empty()) {
			std::printf("%-16s %s\n", i["ifname"].get<std::string>().c_str(),
				    "<no XDP program>");
			continue;
		}
		for (const json &p : i["xdp"]) {
			std::string prio = p["priority"].is_null()
						   ? "-"
						   : std::to_string(p["priority"].get<int>());
			std::string owner =
				p["netext_app"].get<std::string>().empty()
					? (p["dispatcher"].get<bool>() ? "libxdp"
								       : "legacy (not libxdp)")
					: "netext " + p["netext_app"].get<std::string>();
			std::printf("%-16s %-5s %-24s %-7s %-8u %s\n",
				    i["ifname"].get<std::string>().c_str(), prio.c_str(),
				    p["name"].get<std::string>().c_str(),
				    p["mode"].get<std::string>().c_str(), p["id"].get<uint32_t>(),
				    owner.c_str());
		}
	}
	return 0;
}

} // namespace

Command status_command()
{
	return {"status",
		"[IFACE] [--json] | --prune",
		"show netext attachments and the XDP programs of interfaces",
		"The state of each attachment is the kernel's: ok (every program on its hook),\n"
		"detached (a program was removed by someone else), replaced (another program\n"
		"took its place), interface-gone (deleted, or moved to another namespace: there\n"
		"'netext -n NS status' shows it), interrupted (an attach or detach was killed;\n"
		"the next attach or detach rolls it back). Each but ok comes with the command\n"
		"that fixes it. An interface renamed or moved here is followed by its programs.\n"
		"status changes nothing; --prune rolls back interrupted changes and removes the\n"
		"records of attachments whose programs are attached nowhere (only where that is\n"
		"certain: never for a namespace that merely cannot be seen from here).",
		{json_option(),
		 {"prune", 0, nullptr, Option::Type::Flag,
		  "roll back interrupted changes; remove records whose programs are attached "
		  "nowhere"}},
		0,
		1,
		cmd_status};
}

} // namespace netext::cli
