// netext-stack-bound: the static stack bound of a native app's programs, from GCC's own
// figures. g++ -fstack-usage -fcallgraph-info=su writes a .ci file (VCG) holding every
// function's frame size and every call its final code makes (including the calls GCC adds
// itself, such as memcpy, and indirect calls as "__indirect_call"). For each program entry
// (netext_entry_NAME, as NETEXT_XDP/NETEXT_TC define them) the tool finds the deepest path
// and rejects the app if it exceeds the budget, if the call graph has a cycle, if a frame is
// dynamic (alloca, VLA), or if a call is indirect or goes to a function that is neither in
// the object nor one of netext.ko's runtime helpers with a declared cost.
//
//   netext-stack-bound --budget BYTES [--base BYTES] [--helpers FILE] [--entry SYMBOL]...
//                      FILE.ci...
//
// Exit status: 0 every program within budget, 1 rejected, 2 usage or input error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr const char *kEntryPrefix = "netext_entry_";

struct Call {
	std::string to;
	std::string where; // source location of the call
};

struct Node {
	std::string name; // first line of the label: the signature
	std::string loc;
	std::optional<uint64_t> frame; // bytes; none: external (no body here)
	bool dynamic = false;	       // frame size not known statically
	std::vector<Call> calls;
};

struct Helper {
	uint64_t cost;
};

[[noreturn]] void fail(const std::string &msg)
{
	std::fprintf(stderr, "netext-stack-bound: %s\n", msg.c_str());
	std::exit(2);
}

// The "key: "value"" pairs of one VCG node/edge line; values keep \n escapes as two chars.
std::map<std::string, std::string> fields(const std::string &line)
{
	std::map<std::string, std::string> out;
	size_t i = 0;
	while (i < line.size()) {
		size_t colon = line.find(':', i);
		if (colon == std::string::npos)
			break;
		size_t q = line.find_first_not_of(' ', colon + 1);
		size_t p = colon;
		while (p > 0 && line[p - 1] == ' ')
			--p; // "shape : ellipse"
		size_t k0 = p > 0 ? line.find_last_of(" {", p - 1) : std::string::npos;
		std::string key = line.substr(k0 + 1, p - k0 - 1);
		if (q == std::string::npos || line[q] != '"') {
			// unquoted value (shape : ellipse)
			size_t e = line.find_first_of(" }", q);
			out[key] = line.substr(q, e - q);
			i = e;
			continue;
		}
		std::string v;
		size_t j = q + 1;
		for (; j < line.size() && line[j] != '"'; ++j) {
			if (line[j] == '\\' && j + 1 < line.size()) {
				v += line[j];
				++j;
			}
			v += line[j];
		}
		out[key] = v;
		i = j + 1;
	}
	return out;
}

std::vector<std::string> split_label(const std::string &label)
{
	std::vector<std::string> out(1);
	for (size_t i = 0; i < label.size(); ++i) {
		if (label[i] == '\\' && i + 1 < label.size() && label[i + 1] == 'n') {
			out.emplace_back();
			++i;
		} else
			out.back() += label[i];
	}
	return out;
}

void read_ci(const std::string &path, std::map<std::string, Node> &nodes)
{
	std::ifstream in(path);
	if (!in)
		fail("cannot read " + path);
	static const std::regex size_re(R"(^(\d+) bytes \(([a-z,]+)\)$)");
	std::string line;
	while (std::getline(in, line)) {
		if (line.rfind("node:", 0) == 0) {
			auto f = fields(line);
			Node &n = nodes[f["title"]];
			std::vector<std::string> label = split_label(f["label"]);
			if (n.name.empty() || !label.empty())
				n.name = label.empty() ? f["title"] : label[0];
			if (label.size() > 1)
				n.loc = label[1];
			std::smatch m;
			if (label.size() > 2 && std::regex_match(label[2], m, size_re)) {
				n.frame = std::stoull(m[1]);
				n.dynamic = m[2] == "dynamic"; // "dynamic,bounded" has a bound
			}
		} else if (line.rfind("edge:", 0) == 0) {
			auto f = fields(line);
			nodes[f["sourcename"]].calls.push_back({f["targetname"], f["label"]});
		}
	}
}

// "name bytes" per line, '#' comments: what each of netext.ko's helpers may use of the
// extension stack (its own frame and the kernel code it calls).
std::map<std::string, Helper> read_helpers(const std::string &path)
{
	std::map<std::string, Helper> out;
	std::ifstream in(path);
	if (!in)
		fail("cannot read " + path);
	std::string line;
	while (std::getline(in, line)) {
		line = line.substr(0, line.find('#'));
		std::istringstream ls(line);
		std::string name;
		uint64_t cost = 0;
		if (!(ls >> name))
			continue;
		if (!(ls >> cost))
			fail(path + ": no cost for " + name);
		out[name] = {cost};
	}
	return out;
}

struct Result {
	uint64_t depth = 0;
	std::vector<std::string> path; // titles, entry first
};

class Bound {
public:
	Bound(const std::map<std::string, Node> &nodes,
	      const std::map<std::string, Helper> &helpers)
		: nodes_(nodes), helpers_(helpers)
	{}

	std::vector<std::string> errors;

	// Deepest path from title, or nothing after an error (recorded in errors).
	std::optional<Result> worst(const std::string &title)
	{
		if (auto it = memo_.find(title); it != memo_.end())
			return it->second;
		if (auto h = helpers_.find(title); h != helpers_.end())
			return memo_[title] = Result{h->second.cost, {title}};
		auto it = nodes_.find(title);
		if (it == nodes_.end() || !it->second.frame) {
			errors.push_back("call to '" + title +
					 "': not in the object and not a declared runtime helper");
			return memo_[title] = std::nullopt;
		}
		const Node &n = it->second;
		if (n.dynamic) {
			errors.push_back("'" + n.name + "' (" + n.loc +
					 ") has a dynamic stack frame (alloca or a variable-length "
					 "array)");
			return memo_[title] = std::nullopt;
		}
		if (active_.count(title)) {
			std::string cycle;
			bool in = false;
			for (const std::string &s : stack_) {
				in |= s == title;
				if (in)
					cycle += name(s) + " -> ";
			}
			errors.push_back("call graph cycle (recursion): " + cycle + name(title));
			return std::nullopt; // not memoised: another path may still be fine
		}
		active_.insert(title);
		stack_.push_back(title);
		Result best{*n.frame, {title}};
		bool ok = true;
		for (const Call &c : n.calls) {
			if (c.to == "__indirect_call") {
				errors.push_back("indirect call in '" + n.name + "' at " + c.where);
				ok = false;
				continue;
			}
			std::optional<Result> r = worst(c.to);
			if (!r) {
				ok = false;
				continue;
			}
			if (*n.frame + r->depth > best.depth) {
				best.depth = *n.frame + r->depth;
				best.path = {title};
				best.path.insert(best.path.end(), r->path.begin(), r->path.end());
			}
		}
		stack_.pop_back();
		active_.erase(title);
		if (!ok)
			return memo_[title] = std::nullopt;
		return memo_[title] = best;
	}

	std::string name(const std::string &title) const
	{
		auto it = nodes_.find(title);
		return it == nodes_.end() || it->second.name.empty() ? title : it->second.name;
	}

	uint64_t own(const std::string &title) const
	{
		if (auto h = helpers_.find(title); h != helpers_.end())
			return h->second.cost;
		auto it = nodes_.find(title);
		return it != nodes_.end() && it->second.frame ? *it->second.frame : 0;
	}

	bool helper(const std::string &title) const { return helpers_.count(title) != 0; }

private:
	const std::map<std::string, Node> &nodes_;
	const std::map<std::string, Helper> &helpers_;
	std::map<std::string, std::optional<Result>> memo_;
	std::set<std::string> active_;
	std::vector<std::string> stack_;
};

uint64_t number(const char *opt, const char *v)
{
	char *end = nullptr;
	unsigned long long n = std::strtoull(v, &end, 0);
	if (!*v || *end)
		fail(std::string(opt) + ": not a number: " + v);
	return n;
}

} // namespace

int main(int argc, char **argv)
{
	std::optional<uint64_t> budget;
	uint64_t base = 0;
	std::string helpers_file;
	std::vector<std::string> entries, files;
	for (int i = 1; i < argc; ++i) {
		std::string a = argv[i];
		auto value = [&]() -> const char * {
			if (i + 1 >= argc)
				fail(a + " needs a value");
			return argv[++i];
		};
		if (a == "--budget")
			budget = number("--budget", value());
		else if (a == "--base")
			base = number("--base", value());
		else if (a == "--helpers")
			helpers_file = value();
		else if (a == "--entry")
			entries.push_back(value());
		else if (a == "-h" || a == "--help") {
			std::printf("usage: netext-stack-bound --budget BYTES [--base BYTES] "
				    "[--helpers FILE] [--entry SYMBOL]... FILE.ci...\n");
			return 0;
		} else if (!a.empty() && a[0] == '-')
			fail("unknown option " + a);
		else
			files.push_back(a);
	}
	if (!budget || files.empty())
		fail("usage: netext-stack-bound --budget BYTES [--base BYTES] [--helpers FILE] "
		     "[--entry SYMBOL]... FILE.ci...");

	std::map<std::string, Node> nodes;
	for (const std::string &f : files)
		read_ci(f, nodes);
	std::map<std::string, Helper> helpers;
	if (!helpers_file.empty())
		helpers = read_helpers(helpers_file);
	if (entries.empty())
		for (const auto &[title, n] : nodes)
			if (title.rfind(kEntryPrefix, 0) == 0 && n.frame)
				entries.push_back(title);
	if (entries.empty())
		fail("no program entries (" + std::string(kEntryPrefix) + "*) in the call graph");

	Bound b(nodes, helpers);
	bool rejected = false;
	for (const std::string &e : entries) {
		std::string prog = e.rfind(kEntryPrefix, 0) == 0 ? e.substr(13) : e;
		size_t before = b.errors.size();
		std::optional<Result> r = b.worst(e);
		if (!r) {
			rejected = true;
			for (size_t i = before; i < b.errors.size(); ++i)
				std::fprintf(stderr, "netext-stack-bound: error: %s: %s\n",
					     prog.c_str(), b.errors[i].c_str());
			if (b.errors.size() == before)
				std::fprintf(stderr,
					     "netext-stack-bound: error: %s: no bound (an error "
					     "reported for another program)\n",
					     prog.c_str());
			continue;
		}
		uint64_t total = base + r->depth;
		std::string path;
		for (const std::string &t : r->path)
			path += "\n    " + std::to_string(b.own(t)) + "  " + b.name(t) +
				(b.helper(t) ? "  (netext.ko helper, declared)" : "");
		if (total > *budget) {
			rejected = true;
			std::fprintf(
				stderr,
				"netext-stack-bound: error: %s: worst stack path %llu bytes "
				"exceeds the budget of %llu bytes (%llu dispatcher + frames):%s\n",
				prog.c_str(), static_cast<unsigned long long>(total),
				static_cast<unsigned long long>(*budget),
				static_cast<unsigned long long>(base), path.c_str());
		} else
			std::printf("netext-stack-bound: %s: %llu bytes of %llu (%llu dispatcher + "
				    "frames):%s\n",
				    prog.c_str(), static_cast<unsigned long long>(total),
				    static_cast<unsigned long long>(*budget),
				    static_cast<unsigned long long>(base), path.c_str());
	}
	return rejected ? 1 : 0;
}
