// `netext apps`: the built-in apps, their hooks and settings.
#include "cli.hpp"

#include <cstdio>
#include <netext/loader/app.hpp>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

int cmd_apps(const CommandLine &args)
{
	json out = json::array();
	for (const AppDescriptor &d : builtin_apps()) {
		json hooks = json::array(), knobs = json::array();
		for (const HookSpec &h : d.hooks)
			hooks.push_back({{"hook", to_string(h.hook)}, {"program", h.program}});
		for (const Knob &k : d.knobs)
			knobs.push_back({{"name", k.name},
					 {"summary", k.summary},
					 {"min", k.min},
					 {"max", k.max}});
		out.push_back({{"name", d.name},
			       {"summary", d.summary},
			       {"hooks", hooks},
			       {"settings", knobs}});
	}
	if (args.options.flag("json")) {
		std::printf("%s\n", out.dump(2).c_str());
		return 0;
	}
	for (const json &a : out) {
		std::string hooks;
		for (const json &h : a["hooks"])
			hooks += (hooks.empty() ? "" : ", ") + h["hook"].get<std::string>();
		std::printf("%-10s %s [%s]\n", a["name"].get<std::string>().c_str(),
			    a["summary"].get<std::string>().c_str(), hooks.c_str());
		for (const json &k : a["settings"])
			std::printf("%-10s   --set %s=N  %s\n", "",
				    k["name"].get<std::string>().c_str(),
				    k["summary"].get<std::string>().c_str());
	}
	return 0;
}

} // namespace

Command apps_command()
{
	return {"apps", "[--json]", "list the built-in apps", "", {json_option()}, 0, 0, cmd_apps};
}

} // namespace netext::cli
