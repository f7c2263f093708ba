// netext-check: rejects what an app's code does outside netext's safe subset.
//
//   netext-check [options] FILE.cpp... -- <compiler flags>
//   netext-check [options] -p BUILD_DIR FILE.cpp...
//
// Exit status: 0 accepted, 1 rejected, 2 usage or tool error (the file does not compile).
#include "allowlist.hpp"
#include "checker.hpp"
#include "rules.hpp"

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CommonOptionsParser.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>

using namespace llvm;

namespace {

cl::OptionCategory category("netext-check options");

cl::list<std::string> sdk_dirs("sdk-dir",
			       cl::desc("Trusted SDK include directory (repeatable; replaces the "
					"built-in ones)"),
			       cl::value_desc("dir"), cl::cat(category));
cl::list<std::string> app_dirs("app-dir",
			       cl::desc("The app's own directory: headers there may be included "
					"(repeatable; the main file's directory always is)"),
			       cl::value_desc("dir"), cl::cat(category));
cl::list<std::string> guard_types("guard-type",
				  cl::desc("Qualified name of a scoped guard type (repeatable; "
					   "adds to netext::SpinGuard, netext::LockGuard)"),
				  cl::value_desc("name"), cl::cat(category));
cl::list<std::string>
	allow_includes("allow-include",
		       cl::desc("Also allow #include <name> of this toolchain header"),
		       cl::value_desc("name"), cl::cat(category));
cl::opt<bool> strict_loops("strict-loops",
			   cl::desc("Reject loops whose trip count is not bounded by a constant "
				    "or the packet length"),
			   cl::cat(category));
cl::opt<bool> time_opt("time", cl::desc("Report how long each file took"), cl::cat(category));
cl::opt<bool> list_rules("list-rules", cl::desc("List the rule ids and exit"), cl::cat(category));
cl::opt<bool> list_allowed("list-allowed",
			   cl::desc("List the constructs on the allow-list, with their reasons, "
				    "and exit"),
			   cl::cat(category));

void print_rules()
{
	for (const auto *r = netext::check::rules_begin(); r != netext::check::rules_end(); ++r)
		outs() << r->id << "\n    " << r->what << "\n    hint: " << r->hint << "\n";
}

} // namespace

int main(int argc, const char **argv)
{
	auto parser = clang::tooling::CommonOptionsParser::create(
		argc, argv, category, cl::ZeroOrMore,
		"netext-check: the safe-subset checker for netext apps");
	if (!parser) {
		errs() << toString(parser.takeError());
		return 2;
	}
	if (list_rules) {
		print_rules();
		return 0;
	}
	if (list_allowed) {
		netext::check::print_allow_list(outs());
		return 0;
	}
	if (parser->getSourcePathList().empty()) {
		errs() << "netext-check: no input file (netext-check FILE.cpp -- FLAGS, or -p "
			  "BUILD_DIR FILE.cpp)\n";
		return 2;
	}

	netext::check::Config cfg;
	if (sdk_dirs.empty())
		cfg.sdk_dirs = {NETEXT_CHECK_SDK_DIRS};
	else
		cfg.sdk_dirs.assign(sdk_dirs.begin(), sdk_dirs.end());
	cfg.app_dirs.assign(app_dirs.begin(), app_dirs.end());
	cfg.guard_types = {"netext::SpinGuard", "netext::LockGuard"};
	cfg.guard_types.insert(cfg.guard_types.end(), guard_types.begin(), guard_types.end());
	cfg.allowed_includes.assign(allow_includes.begin(), allow_includes.end());
	cfg.strict_loops = strict_loops;
	cfg.time = time_opt;

	clang::tooling::ClangTool tool(parser->getCompilations(), parser->getSourcePathList());
	// The tool is not installed next to Clang's builtin headers: point at them. GCC-only
	// warning flags from a g++ build line must not fail the parse.
	tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
		{"-resource-dir=" NETEXT_CHECK_RESOURCE_DIR, "-Wno-unknown-warning-option"},
		clang::tooling::ArgumentInsertPosition::END));

	netext::check::Totals totals;
	int rc = tool.run(netext::check::make_factory(cfg, totals).get());
	if (totals.failed_compiles || totals.files < parser->getSourcePathList().size())
		return 2;
	if (totals.violations)
		return 1;
	return rc == 0 ? 0 : 2;
}
