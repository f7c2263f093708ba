// `netext build`: a user's own app, built with the installed SDK.
#include "cli.hpp"

#include <cstdio>
#include <netext/loader/build.hpp>

namespace netext::cli {

using json = nlohmann::json;
using namespace netext::loader;

namespace {

enum class BuildBackend { Ebpf, Native, Both };

int cmd_build(const CommandLine &args)
{
	BuildRequest req;
	req.sources = args.args;
	if (auto n = args.options.text("name"))
		req.name = *n;
	const BuildBackend backend =
		args.options.choice<BuildBackend>("backend").value_or(BuildBackend::Ebpf);
	req.backend = backend == BuildBackend::Ebpf ? Backend::Ebpf : Backend::Native;
	if (auto o = args.options.text("output"))
		req.out_dir = *o;
	if (auto k = args.options.text("kernel"))
		req.kernel = *k;
	req.verbose = args.options.flag("verbose");
	std::printf("building %s for %s...\n", req.sources[0].c_str(),
		    backend == BuildBackend::Both ? "ebpf and native" : to_string(req.backend));
	std::fflush(stdout);
	BuiltApp b = build_app(req);
	std::string backends;
	for (const std::string &x : b.backends)
		backends += (backends.empty() ? "" : ", ") + x;
	std::printf("built app %s in %s (backends: %s%s)\n", b.name.c_str(), b.dir.c_str(),
		    backends.c_str(),
		    b.kernel_release.empty() ? "" : ("; module for " + b.kernel_release).c_str());
	std::printf("attach it with: netext attach IFACE %s%s\n", b.dir.c_str(),
		    b.has("native") ? " [--backend native]" : "");
	return 0;
}

} // namespace

Command build_command()
{
	return {"build",
		"APP.cpp [MORE.cpp...] [--backend ebpf|native|both] [--kernel RELEASE] [-o DIR] "
		"[--name NAME]",
		"build your own app (outside netext's source tree) for attach",
		"Compiles the app's sources (one translation unit; its headers next to the first "
		"one)\nwith the installed netext SDK: to an eBPF object, and for native also "
		"through\nnetext-check (the safe subset), the static stack bound and kbuild into "
		"a module\nfor the running kernel (or --kernel RELEASE; netext installed with a "
		"netext.ko\nfor it, its headers installed). A rejected app "
		"builds\nnothing. DIR (default NAME.netext) gets NAME.bpf.o, netext_app_NAME.ko "
		"and\nnetext-app.json; 'netext attach IFACE DIR' runs it. Needs cmake, clang-16 "
		"and,\nfor native, g++-12, make and the kernel's headers.",
		{{"backend",
		  'b',
		  "BACKEND",
		  Option::Type::Choice,
		  "ebpf (default), native (the module, with the eBPF object that declares the "
		  "maps) or both",
		  1,
		  UINT64_MAX,
		  {{"ebpf", int(BuildBackend::Ebpf)},
		   {"native", int(BuildBackend::Native)},
		   {"both", int(BuildBackend::Both)}},
		  "backend",
		  "ebpf, native or both"},
		 {"kernel", 'k', "RELEASE", Option::Type::Text,
		  "native: the kernel release to build the module for (default: the running "
		  "kernel's when netext has a netext.ko for it, else netext's default)"},
		 {"output", 'o', "DIR", Option::Type::Text,
		  "where to put the build (default NAME.netext)"},
		 {"name", 0, "NAME", Option::Type::Text,
		  "the app's name (default: the first source's stem)"},
		 {"verbose", 'v', nullptr, Option::Type::Flag,
		  "show the build's output also on success"}},
		1,
		64,
		cmd_build};
}

} // namespace netext::cli
