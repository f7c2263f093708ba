// Commands of the netext CLI, declared in tables (in the way of xdp-tools' option tables):
// each option has a type, the parser turns its text into a value once and refuses bad
// text with the error the user sees, and a command's handler reads typed values, never
// strings. Help text comes from the same tables.
//
// The CLI's own commands live in loader/cli; an app adds commands of its own by listing
// them in its descriptor (AppDescriptor::commands, app.hpp): `netext lb ...` exists
// because the lb app declares it. A CLI built with netext_add_cli() (NetextExtension.cmake)
// offers every command of the apps it embeds.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace netext::loader {

// One name an option of type Choice accepts, and the value (an enum's) it stands for.
struct Choice {
	const char *name;
	int value;
};

struct Option {
	enum class Type {
		Flag,	    // no value
		Text,	    // any text: a path, a name
		Count,	    // an integer in [min, max]
		Seconds,    // a positive number
		Choice,	    // one of `choices`
		Assignment, // KEY=VALUE; repeatable, kept in order
	};
	const char *name; // long name, without "--"
	char short_name;  // 0 for none
	const char *arg;  // argument placeholder in help; nullptr for a Flag
	Type type;
	const char *help;
	uint64_t min = 1, max = UINT64_MAX; // Count
	std::vector<Choice> choices{};	    // Choice
	// Choice: what a wrong value is called, and the hint after it:
	// "unknown <what> '<text>' (<hint>)"
	const char *what = nullptr, *hint = nullptr;
};

// An option table entry for `--json`, shared by every command that prints JSON.
Option json_option();

// The options given on one command line, as typed values.
class OptionValues {
public:
	using Assignments = std::vector<std::pair<std::string, std::string>>;
	using Value = std::variant<bool, std::string, uint64_t, double, int, Assignments>;

	[[nodiscard]] bool flag(const std::string &name) const { return values_.contains(name); }
	[[nodiscard]] std::optional<std::string> text(const std::string &name) const;
	[[nodiscard]] std::optional<uint64_t> count(const std::string &name) const;
	[[nodiscard]] std::optional<double> seconds(const std::string &name) const;
	template <class Enum>
	[[nodiscard]] std::optional<Enum> choice(const std::string &name) const
	{
		auto it = values_.find(name);
		if (it == values_.end())
			return std::nullopt;
		return static_cast<Enum>(std::get<int>(it->second));
	}
	[[nodiscard]] Assignments assignments(const std::string &name) const;

	void set(const std::string &name, Value v) { values_[name] = std::move(v); }
	[[nodiscard]] bool has(const std::string &name) const { return values_.contains(name); }

private:
	std::map<std::string, Value> values_;
};

struct CommandLine {
	std::vector<std::string> args; // positional arguments, after the command's name
	OptionValues options;
};

struct Command {
	std::string name{};
	std::string synopsis{}; // arguments and options, for "Usage: netext NAME SYNOPSIS"
	std::string summary{};	// one line, for the command list
	std::string details{};	// more paragraphs for `netext NAME --help`, or empty
	std::vector<Option> options{};
	std::size_t min_args = 0, max_args = 0;
	// Runs the command; returns the exit status. Throws netext::Error on failure.
	std::function<int(const CommandLine &)> run{};
};

// Parses what follows the command's name. Returns nullopt when -h/--help was given.
// Throws netext::Error (usage) naming the bad option or value.
std::optional<CommandLine> parse_command_line(const Command &c, std::span<const std::string> argv);

// The command's help: usage, summary, details, options.
std::string command_help(const Command &c);

} // namespace netext::loader
