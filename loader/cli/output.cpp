// What several commands print or look up.
#include "cli.hpp"

#include <ctime>
#include <net/if.h>
#include <netext/loader/error.hpp>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

void usage_error(const std::string &msg)
{
	throw Error(msg, ExitCode::Usage);
}

std::string hook_list(const Attachment &a)
{
	std::string s;
	for (const HookState &h : a.hooks) {
		if (!s.empty())
			s += ", ";
		s += to_string(h.hook);
		if (h.hook == HookPoint::Xdp && a.xdp_mode)
			s += std::string("(") + to_string(*a.xdp_mode) + ")";
		s += " id " + std::to_string(h.prog_id);
	}
	return s;
}

std::string time_text(int64_t t)
{
	char buf[32];
	std::time_t tt = static_cast<std::time_t>(t);
	std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", std::localtime(&tt));
	return buf;
}

json attachment_json(const Attachment &a)
{
	json hooks = json::array();
	for (const HookState &h : a.hooks) {
		json j = {{"hook", to_string(h.hook)},
			  {"program", h.program},
			  {"prog_id", h.prog_id},
			  {"attached", h.attached}};
		if (h.hook == HookPoint::Xdp) {
			j["mode"] = a.xdp_mode ? to_string(*a.xdp_mode) : "";
			j["dispatcher"] = a.dispatcher;
		}
		hooks.push_back(j);
	}
	return {{"ifname", a.ifname},
		{"ifindex", a.ifindex},
		{"netns", a.netns},
		{"app", a.app},
		{"source", a.source_text()},
		{"backend", to_string(a.backend)},
		{"hooks", hooks},
		{"maps", a.maps},
		{"config", a.config},
		{"attached_at", a.attached_at},
		{"pin_dir", a.pin_dir},
		{"live", a.live},
		{"state", to_string(a.state)},
		{"attached_ifname", a.attached_ifname},
		{"netns_ino", a.netns_ino},
		{"note", a.note},
		{"fix", a.fix}};
}

Attachment find_attachment(const std::string &ifname, const std::string &app)
{
	std::vector<Attachment> all = attachments(ifname);
	if (if_nametoindex(ifname.c_str()) == 0 && all.empty())
		throw Error("interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
	for (Attachment &a : all)
		if (a.app == app)
			return a;
	throw Error("app '" + app + "' is not attached to " + ifname + " (see 'netext status')",
		    ExitCode::NotFound);
}

} // namespace netext::cli
