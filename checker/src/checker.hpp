// The checker proper: a frontend action that parses one translation unit and reports what
// the app's code (everything outside the SDK headers and the toolchain's) does outside the
// safe subset.
#pragma once

#include <clang/Tooling/Tooling.h>

#include <memory>
#include <string>
#include <vector>

namespace netext::check {

struct Config {
	std::vector<std::string> sdk_dirs;	   // trusted: never checked
	std::vector<std::string> app_dirs;	   // may be included (and are checked)
	std::vector<std::string> guard_types;	   // qualified names of scoped guards
	std::vector<std::string> allowed_includes; // extra <names> beyond the built-in list
	bool strict_loops = false;
	bool time = false;
};

struct Totals {
	unsigned files = 0;
	unsigned violations = 0;      // errors the checker reported
	unsigned failed_compiles = 0; // files the compiler rejected (not checked)
};

std::unique_ptr<clang::tooling::FrontendActionFactory> make_factory(const Config &cfg,
								    Totals &totals);

} // namespace netext::check
