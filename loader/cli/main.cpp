// The netext CLI core (netext/cli.hpp): attach, inspect and detach netext apps. The commands
// and their options are declared in tables (cli.hpp, netext/loader/command.hpp), from which
// parsing and help text both come; apps add their own commands through their descriptors.
#include "cli.hpp"

#include <netext/cli.hpp>

#include <netext/loader/app.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/libbpf.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <span>

#ifndef NETEXT_VERSION
#define NETEXT_VERSION "0.0.0"
#endif

namespace netext::cli {

using namespace netext::loader;

namespace {

int cmd_help(const CommandLine &args);

Command help_command()
{
	return {"help", "[COMMAND]", "show help for netext or a command", "", {}, 0, 1, cmd_help};
}

} // namespace

const std::vector<Command> &commands()
{
	static const std::vector<Command> cmds = [] {
		std::vector<Command> all = {attach_command(), detach_command(), status_command(),
					    stats_command(),  map_command(),	build_command(),
					    apps_command(),   help_command()};
		auto at = all.begin() + 5; // after 'map'
		for (const AppDescriptor &d : builtin_apps())
			for (const Command &c : d.commands)
				at = all.insert(at, c) + 1;
		return all;
	}();
	return cmds;
}

namespace {

void print_usage(FILE *out)
{
	std::fprintf(out, "Usage: netext [-n NETNS] COMMAND [ARGS]\n\n"
			  "Attach and inspect netext data-plane extensions (XDP and tc programs "
			  "written in C++).\n\n"
			  "Commands:\n");
	for (const Command &c : commands())
		std::fprintf(out, "  %-8s %s\n", c.name.c_str(), c.summary.c_str());
	std::fprintf(
		out,
		"\nGlobal options:\n"
		"  -n, --netns NETNS  act in network namespace NETNS (like 'ip -n')\n"
		"  -h, --help         show this help ('netext COMMAND --help' for a command)\n"
		"  -V, --version      show the version\n\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 3 permission, 4 not found, 5 conflict,\n"
		"6 no usable bpffs.\n");
}

void print_command_help(const Command &c)
{
	std::fputs(command_help(c).c_str(), stdout);
}

int cmd_help(const CommandLine &args)
{
	if (args.args.empty()) {
		print_usage(stdout);
		return 0;
	}
	for (const Command &c : commands())
		if (args.args[0] == c.name) {
			print_command_help(c);
			return 0;
		}
	usage_error("unknown command '" + args.args[0] + "' (see 'netext --help')");
}

int run(int argc, char **argv)
{
	std::vector<std::string> rest(argv + 1, argv + argc);
	std::optional<std::string> netns;
	while (!rest.empty() && rest[0].starts_with("-")) {
		if (rest[0] == "-h" || rest[0] == "--help") {
			print_usage(stdout);
			return 0;
		}
		if (rest[0] == "-V" || rest[0] == "--version") {
			std::printf("netext %s (libbpf %s, libxdp)\n", NETEXT_VERSION,
				    libbpf_version_string());
			return 0;
		}
		if (rest[0] == "-n" || rest[0] == "--netns") {
			if (rest.size() < 2)
				usage_error("-n needs a network namespace name");
			netns = rest[1];
			rest.erase(rest.begin(), rest.begin() + 2);
			continue;
		}
		usage_error("unknown option '" + rest[0] + "' (see 'netext --help')");
	}
	if (rest.empty()) {
		print_usage(stderr);
		return static_cast<int>(ExitCode::Usage);
	}
	for (const Command &c : commands()) {
		if (rest[0] != c.name)
			continue;
		std::optional<CommandLine> args = parse_command_line(c, std::span(rest).subspan(1));
		if (!args) {
			print_command_help(c);
			return 0;
		}
		std::unique_ptr<NetnsScope> scope;
		if (netns)
			scope = std::make_unique<NetnsScope>(*netns);
		return c.run(*args);
	}
	usage_error("unknown command '" + rest[0] + "' (see 'netext --help')");
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return run(argc, argv);
	} catch (const Error &e) {
		// libnetext's and the apps' messages name no program: the CLI does, once, here
		std::fprintf(stderr, "netext: %s\n", e.what());
		return static_cast<int>(e.code());
	} catch (const std::exception &e) {
		std::fprintf(stderr, "netext: %s\n", e.what());
		return static_cast<int>(ExitCode::Failure);
	}
}

} // namespace netext::cli
