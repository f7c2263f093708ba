// `netext attach` and `netext detach`.
#include "cli.hpp"

#include <cstdio>
#include <netext/loader/error.hpp>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

int cmd_attach(const CommandLine &args)
{
	AttachRequest req;
	req.ifname = args.args[0];
	req.app = args.args[1];
	if (auto m = args.options.choice<XdpMode>("mode"))
		req.mode = *m;
	if (auto b = args.options.choice<Backend>("backend"))
		req.backend = *b;
	for (const auto &[key, value] : args.options.assignments("set"))
		req.sets[key] = value;
	Attachment a = attach(req);
	std::printf("attached %s to %s: %s%s\n", a.app.c_str(), a.ifname.c_str(),
		    hook_list(a).c_str(), a.backend == Backend::Native ? " (native)" : "");
	if (!a.note.empty())
		std::printf("note: %s\n", a.note.c_str());
	return 0;
}

int cmd_detach(const CommandLine &args)
{
	std::string app = args.args.size() > 1 ? args.args[1] : "";
	for (const Attachment &a : detach(args.args[0], app))
		std::printf("detached %s from %s%s\n", a.app.c_str(), a.ifname.c_str(),
			    a.note.empty() ? "" : (" (" + a.note + ")").c_str());
	return 0;
}

} // namespace

Command attach_command()
{
	return {"attach",
		"IFACE APP [--mode native|skb|auto] [--backend ebpf|native] [--set KEY=VALUE]...",
		"attach all of an app's programs to an interface",
		"APP is a built-in app (see 'netext apps'), a directory made by 'netext build',\n"
		"or the path of an eBPF object file.\n"
		"XDP programs go through libxdp's dispatcher, so other libxdp programs keep "
		"running;\n"
		"tc programs go on a clsact qdisc (created if absent). Either every hook is "
		"attached\n"
		"or, on any error, none is. State is pinned under /sys/fs/bpf/netext/.\n"
		"--backend native runs the app's native module (netext_app_APP.ko) through "
		"netext.ko,\nloading both if needed (from $NETEXT_MODULE_DIR, the installed or "
		"the build\ndirectory); detach unloads what attach loaded.",
		{{"mode",
		  'm',
		  "MODE",
		  Option::Type::Choice,
		  "XDP mode: native, skb, or auto (native, else skb; default)",
		  1,
		  UINT64_MAX,
		  {{"native", int(XdpMode::Native)},
		   {"drv", int(XdpMode::Native)},
		   {"skb", int(XdpMode::Skb)},
		   {"generic", int(XdpMode::Skb)},
		   {"auto", int(XdpMode::Auto)}},
		  "XDP mode",
		  "use native, skb or auto"},
		 {"backend",
		  'b',
		  "BACKEND",
		  Option::Type::Choice,
		  "ebpf (the app's eBPF programs; default) or native (its kernel module)",
		  1,
		  UINT64_MAX,
		  {{"ebpf", int(Backend::Ebpf)}, {"native", int(Backend::Native)}},
		  "backend",
		  "ebpf or native"},
		 {"set", 's', "KEY=VALUE", Option::Type::Assignment,
		  "set a configuration knob before loading (repeatable)"}},
		2,
		2,
		cmd_attach};
}

Command detach_command()
{
	return {"detach",
		"IFACE [APP]",
		"detach an app (or every netext app) from an interface",
		"Removes the app's hooks, its pins, and the clsact qdisc if netext created it "
		"and\n"
		"nothing else of netext still uses it. IFACE is the interface's name now (one\n"
		"renamed, or moved into this namespace, is found by its programs). Exits "
		"non-zero,\n"
		"keeping the record, when a program cannot be removed, when the pins cannot be\n"
		"(a read-only bpffs), or when the interface is not here (the message says where\n"
		"its programs are, if anywhere).",
		{},
		1,
		2,
		cmd_detach};
}

} // namespace netext::cli
