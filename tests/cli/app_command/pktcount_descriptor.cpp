// The example app's descriptor, as a user writes one for an app outside netext's tree:
// its hooks and map, and a CLI command of its own, `pktcount`, declared with an option
// table (netext/loader/command.hpp). A CLI made by netext_add_cli(... APPS pktcount) offers
// it beside netext's own commands.
#include <netext/loader/app.hpp>
#include <netext/loader/error.hpp>

#include <cstdio>
#include <string>

#include "pktcount.hpp"

using namespace netext::loader;

namespace {

constexpr const char *kClassNames[pktcount::kClasses] = {"icmp", "tcp", "udp", "other"};

// `pktcount classes [--index]`: the map's slots and what each counts.
int run_pktcount(const CommandLine &cl)
{
	if (cl.args[0] != "classes")
		throw netext::Error("pktcount has no subcommand '" + cl.args[0] +
					    "' (see 'pktcount --help')",
				    netext::ExitCode::Usage);
	for (uint32_t c = 0; c < pktcount::kClasses; c++) {
		if (cl.options.flag("index"))
			std::printf("%u ", c);
		std::printf("%s\n", kClassNames[c]);
	}
	return 0;
}

const AppRegistration registration{AppDescriptor{
	.name = "pktcount",
	.summary = "counts packets by L4 protocol (the example app)",
	.hooks = {{HookPoint::Xdp, "pktcount_xdp"}},
	.knobs = {},
	.maps = {{"counts", "packets per class (see 'pktcount classes')", {}, {}}},
	.stats = {},
	.commands = {Command{
		.name = "pktcount",
		.synopsis = "classes [--index]",
		.summary = "the classes pktcount counts",
		.details = "",
		.options = {{"index", 'i', nullptr, Option::Type::Flag,
			     "print each class's slot in the counts map"}},
		.min_args = 1,
		.max_args = 1,
		.run = run_pktcount,
	}},
}};

} // namespace
