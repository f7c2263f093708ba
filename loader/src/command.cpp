// Parsing a command line against a command's option table: see command.hpp.
#include <netext/loader/command.hpp>
#include <netext/loader/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace netext::loader {

namespace {

[[noreturn]] void usage_error(const std::string &msg)
{
	throw Error(msg, ExitCode::Usage);
}

// The whole of `text` as an unsigned decimal integer, or nullopt.
std::optional<uint64_t> whole_number(const std::string &text)
{
	if (text.empty() || text[0] < '0' || text[0] > '9')
		return std::nullopt;
	char *end = nullptr;
	errno = 0;
	unsigned long long n = std::strtoull(text.c_str(), &end, 10);
	if (errno != 0 || *end != '\0')
		return std::nullopt;
	return n;
}

OptionValues::Value typed(const Option &o, const std::string &text)
{
	const std::string flag = std::string("--") + o.name;
	switch (o.type) {
	case Option::Type::Flag: return true;
	case Option::Type::Text: return text;
	case Option::Type::Count: {
		std::optional<uint64_t> n = whole_number(text);
		if (!n || *n < o.min || *n > o.max) {
			std::string range = o.min == 1 && o.max == UINT64_MAX
						    ? "a positive integer"
						    : "an integer in " + std::to_string(o.min) +
							      ".." + std::to_string(o.max);
			usage_error(flag + " takes " + range + ", got '" + text + "'");
		}
		return *n;
	}
	case Option::Type::Seconds: {
		char *end = nullptr;
		double s = text.empty() ? 0 : std::strtod(text.c_str(), &end);
		if (text.empty() || *end != '\0' || !(s > 0))
			usage_error(flag + " takes a positive number of seconds, got '" + text +
				    "'");
		return s;
	}
	case Option::Type::Choice:
		for (const Choice &c : o.choices)
			if (text == c.name)
				return c.value;
		usage_error(std::string("unknown ") + (o.what ? o.what : o.name) + " '" + text +
			    "' (" + (o.hint ? o.hint : "") + ")");
	case Option::Type::Assignment: {
		std::size_t eq = text.find('=');
		if (eq == std::string::npos || eq == 0)
			usage_error(flag + " takes KEY=VALUE, got '" + text + "'");
		return OptionValues::Assignments{{text.substr(0, eq), text.substr(eq + 1)}};
	}
	}
	usage_error("option " + flag + " has no type");
}

} // namespace

Option json_option()
{
	return {"json", 0, nullptr, Option::Type::Flag, "print JSON instead of a table"};
}

std::optional<std::string> OptionValues::text(const std::string &name) const
{
	auto it = values_.find(name);
	if (it == values_.end())
		return std::nullopt;
	return std::get<std::string>(it->second);
}

std::optional<uint64_t> OptionValues::count(const std::string &name) const
{
	auto it = values_.find(name);
	if (it == values_.end())
		return std::nullopt;
	return std::get<uint64_t>(it->second);
}

std::optional<double> OptionValues::seconds(const std::string &name) const
{
	auto it = values_.find(name);
	if (it == values_.end())
		return std::nullopt;
	return std::get<double>(it->second);
}

OptionValues::Assignments OptionValues::assignments(const std::string &name) const
{
	auto it = values_.find(name);
	if (it == values_.end())
		return {};
	return std::get<Assignments>(it->second);
}

std::optional<CommandLine> parse_command_line(const Command &c, std::span<const std::string> argv)
{
	CommandLine out;
	for (std::size_t i = 0; i < argv.size(); i++) {
		const std::string &a = argv[i];
		if (a == "-h" || a == "--help")
			return std::nullopt;
		if (a.size() < 2 || a[0] != '-' || a == "--") {
			out.args.push_back(a);
			continue;
		}
		std::string name, value;
		bool has_value = false;
		const Option *spec = nullptr;
		if (a.starts_with("--")) {
			name = a.substr(2);
			if (auto eq = name.find('='); eq != std::string::npos) {
				value = name.substr(eq + 1);
				name.resize(eq);
				has_value = true;
			}
			for (const Option &o : c.options)
				if (name == o.name)
					spec = &o;
		} else {
			for (const Option &o : c.options)
				if (a.size() == 2 && a[1] == o.short_name)
					spec = &o;
		}
		if (!spec)
			usage_error("unknown option '" + a + "' for '" + c.name +
				    "' (see 'netext " + c.name + " --help')");
		const bool takes_value = spec->type != Option::Type::Flag;
		if (takes_value && !has_value) {
			if (i + 1 >= argv.size())
				usage_error("option --" + std::string(spec->name) + " needs " +
					    spec->arg);
			value = argv[++i];
		} else if (!takes_value && has_value) {
			usage_error("option --" + std::string(spec->name) + " takes no value");
		}
		const bool repeatable = spec->type == Option::Type::Assignment;
		if (!repeatable && out.options.has(spec->name))
			usage_error("option --" + std::string(spec->name) + " given twice");
		OptionValues::Value v = typed(*spec, value);
		if (repeatable && out.options.has(spec->name)) {
			OptionValues::Assignments all = out.options.assignments(spec->name);
			all.push_back(std::get<OptionValues::Assignments>(v).front());
			v = std::move(all);
		}
		out.options.set(spec->name, std::move(v));
	}
	if (out.args.size() < c.min_args || out.args.size() > c.max_args)
		usage_error("wrong number of arguments for '" + c.name + "'; usage: netext " +
			    c.name + " " + c.synopsis);
	return out;
}

std::string command_help(const Command &c)
{
	std::string s = "Usage: netext " + c.name + " " + c.synopsis + "\n\n" + c.summary + ".\n";
	if (!c.details.empty())
		s += "\n" + c.details + "\n";
	auto line = [&](const std::string &left, const char *help) {
		std::string l = "  " + left;
		l.resize(std::max<std::size_t>(l.size() + 1, 29), ' ');
		s += l + help + "\n";
	};
	if (!c.options.empty()) {
		s += "\nOptions:\n";
		for (const Option &o : c.options) {
			std::string left =
				o.short_name ? std::string("-") + o.short_name + ", " : "    ";
			left += std::string("--") + o.name +
				(o.arg ? std::string(" ") + o.arg : "");
			line(left, o.help);
		}
	}
	line("-h, --help", "show this help");
	return s;
}

} // namespace netext::loader
