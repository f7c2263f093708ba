// The LB's whole configuration as one document: see netext/lb/config.hpp.
#include <netext/lb/config.hpp>
#include <netext/loader/error.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <tuple>

#include "lb.hpp" // the data plane: how many VIPs and backends it holds

namespace netext::lb {

namespace {

using json = nlohmann::json;

// ---- where in the text: line and column of a JSON pointer --------------------------------

// "LINE:COLUMN" (1-based, columns in bytes) of a byte offset.
std::string line_column(std::string_view text, std::size_t offset)
{
	offset = std::min(offset, text.size());
	std::size_t line = 1, start = 0;
	for (std::size_t i = 0; i < offset; i++)
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	return std::to_string(line) + ":" + std::to_string(offset - start + 1);
}

std::string pointer_token(const std::string &key)
{
	std::string out;
	for (char c : key)
		out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
	return out;
}

// Walks text that nlohmann has parsed already (so it is valid JSON) and records where each
// value starts, by JSON pointer: an object member at its key, an array element at its first
// character. Finds duplicate keys, which nlohmann would silently merge.
class Locator {
public:
	explicit Locator(std::string_view text) : text_(text) { value(""); }
	// The offset of the value at `pointer`, or of the nearest enclosing one.
	[[nodiscard]] std::size_t at(std::string pointer) const
	{
		for (;;) {
			if (auto it = at_.find(pointer); it != at_.end())
				return it->second;
			if (pointer.empty())
				return 0;
			pointer.resize(pointer.rfind('/'));
		}
	}
	// The first duplicate key: its pointer ("" if none).
	[[nodiscard]] const std::string &duplicate() const { return duplicate_; }

private:
	void space()
	{
		while (pos_ < text_.size() &&
		       std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos)
			pos_++;
	}
	std::string string()
	{
		std::size_t start = pos_++;
		while (pos_ < text_.size() && text_[pos_] != '"')
			pos_ += text_[pos_] == '\\' ? 2 : 1;
		pos_++;
		return json::parse(text_.substr(start, pos_ - start)).get<std::string>();
	}
	void value(const std::string &pointer)
	{
		space();
		at_.emplace(pointer, pos_);
		if (pos_ >= text_.size())
			return;
		char c = text_[pos_];
		if (c == '{') {
			pos_++;
			std::set<std::string> keys;
			for (space(); pos_ < text_.size() && text_[pos_] != '}'; space()) {
				if (text_[pos_] == ',') {
					pos_++;
					space();
				}
				std::size_t key_at = pos_;
				std::string key = string();
				std::string member = pointer + "/" + pointer_token(key);
				if (!keys.insert(key).second && duplicate_.empty())
					duplicate_ = member;
				space();
				pos_++; // ':'
				value(member);
				at_[member] = key_at;
			}
			pos_++;
		} else if (c == '[') {
			pos_++;
			std::size_t n = 0;
			for (space(); pos_ < text_.size() && text_[pos_] != ']'; space()) {
				if (text_[pos_] == ',') {
					pos_++;
					space();
				}
				value(pointer + "/" + std::to_string(n++));
			}
			pos_++;
		} else if (c == '"') {
			string();
		} else {
			while (pos_ < text_.size() &&
			       std::string_view(",]} \t\r\n").find(text_[pos_]) ==
				       std::string_view::npos)
				pos_++;
		}
	}

	std::string_view text_;
	std::size_t pos_ = 0;
	std::map<std::string, std::size_t> at_;
	std::string duplicate_;
};

// ---- reading the document ----------------------------------------------------------------

class Reader {
public:
	Reader(const std::string &text, const std::string &origin)
		: text_(text), origin_(origin), locator_(text)
	{}

	// An error at the value `pointer` names: "ORIGIN:LINE:COL: POINTER: why".
	[[nodiscard]] Error error(const std::string &pointer, const std::string &why) const
	{
		return Error(origin_ + ":" + line_column(text_, locator_.at(pointer)) + ": " +
				     (pointer.empty() ? "the document" : pointer) + ": " + why,
			     ExitCode::Usage);
	}

	LbConfig read(const json &doc)
	{
		if (!locator_.duplicate().empty())
			throw error(locator_.duplicate(),
				    "this key is given twice in its object (keep one)");
		const json &vips = member_of(doc, "", {"vips"}, "vips", json::value_t::array,
					     "a list of VIPs: {\"vips\": [...]}");
		if (vips.size() > kMaxVips)
			throw error("/vips/" + std::to_string(kMaxVips),
				    std::to_string(vips.size()) + " VIPs; the lb holds at most " +
					    std::to_string(kMaxVips));
		LbConfig c;
		std::size_t backends = 0;
		for (std::size_t i = 0; i < vips.size(); i++) {
			const std::string at = "/vips/" + std::to_string(i);
			c.vips.push_back(read_vip(vips[i], at));
			for (std::size_t j = 0; j < i; j++)
				if (c.vips[j].service == c.vips[i].service)
					throw error(at + "/vip",
						    "VIP " + c.vips[i].service.str() +
							    " is given twice (also /vips/" +
							    std::to_string(j) +
							    "; list its backends once)");
			backends += c.vips[i].backends.size();
			if (backends > kMaxBackends)
				throw error(at + "/backends",
					    "more than " + std::to_string(kMaxBackends) +
						    " backends in all; the lb holds at most " +
						    std::to_string(kMaxBackends));
		}
		std::sort(c.vips.begin(), c.vips.end(), [](const VipConfig &a, const VipConfig &b) {
			return std::tie(a.service.addr.family, a.service.addr.bytes, a.service.port,
					a.service.proto) <
			       std::tie(b.service.addr.family, b.service.addr.bytes, b.service.port,
					b.service.proto);
		});
		return c;
	}

private:
	// Refuses keys outside `allowed`; returns the member `name` (null if absent and
	// `required` is empty) after checking its type.
	const json &member_of(const json &obj, const std::string &at,
			      std::initializer_list<const char *> allowed, const char *required,
			      json::value_t type, const char *what)
	{
		if (!obj.is_object())
			throw error(at, "expected an object, found " + kind(obj));
		for (const auto &[key, v] : obj.items()) {
			bool known = false;
			std::string list;
			for (const char *a : allowed) {
				known |= key == a;
				list += std::string(list.empty() ? "" : ", ") + a;
			}
			if (!known)
				throw error(at + "/" + pointer_token(key),
					    "unknown field \"" + key + "\" (fields here: " + list +
						    ")");
		}
		auto it = obj.find(required);
		if (it == obj.end())
			throw error(at, std::string("no \"") + required + "\" (" + what + ")");
		if (it->type() != type)
			throw error(at + "/" + required,
				    std::string("expected ") + what + ", found " + kind(*it));
		return *it;
	}

	static std::string kind(const json &v)
	{
		switch (v.type()) {
		case json::value_t::object: return "an object";
		case json::value_t::array: return "a list";
		case json::value_t::string: return "the text " + v.dump();
		case json::value_t::boolean: return v.dump();
		case json::value_t::null: return "null";
		default: return "the number " + v.dump();
		}
	}

	// A field's value, parsed by `parse`; its netext::Error becomes one at the field.
	template <class F>
	auto field(const std::string &at, F parse) -> decltype(parse())
	{
		try {
			return parse();
		} catch (const Error &e) {
			std::string_view why = e.what();
			if (why.starts_with("netext: "))
				why.remove_prefix(8);
			throw error(at, std::string(why));
		}
	}

	VipConfig read_vip(const json &v, const std::string &at)
	{
		const json &name =
			member_of(v, at, {"vip", "backends"}, "vip", json::value_t::string,
				  "the service, e.g. \"198.18.1.10:80/tcp\"");
		VipConfig vip;
		vip.service = field(at + "/vip", [&] { return Service::parse(name); });
		auto list = v.find("backends");
		if (list == v.end())
			return vip;
		if (!list->is_array())
			throw error(at + "/backends",
				    "expected a list of backends, found " + kind(*list));
		for (std::size_t i = 0; i < list->size(); i++) {
			const std::string b_at = at + "/backends/" + std::to_string(i);
			BackendSpec b = read_backend((*list)[i], b_at);
			if ((b.addr.family == AF_INET6) != (vip.service.addr.family == AF_INET6))
				throw error(b_at + "/address",
					    "backend " + b.addr.str() + " of " + vip.service.str() +
						    ": the backend's family must be the VIP's "
						    "(IPv4 VIPs are sent IP-in-IP to IPv4 "
						    "backends, IPv6 VIPs IPv6-in-IPv6)");
			for (std::size_t j = 0; j < vip.backends.size(); j++)
				if (vip.backends[j].addr == b.addr)
					throw error(b_at + "/address",
						    "backend " + b.addr.str() +
							    " is given twice for " +
							    vip.service.str() + " (also " + at +
							    "/backends/" + std::to_string(j) + ")");
			vip.backends.push_back(b);
		}
		std::sort(vip.backends.begin(), vip.backends.end(),
			  [](const BackendSpec &a, const BackendSpec &b) {
				  return a.addr.bytes < b.addr.bytes;
			  });
		return vip;
	}

	BackendSpec read_backend(const json &v, const std::string &at)
	{
		const json &addr = member_of(v, at, {"address", "weight", "state"}, "address",
					     json::value_t::string,
					     "the backend's address, e.g. \"198.18.0.11\"");
		BackendSpec b;
		b.addr = field(at + "/address", [&] { return IpAddress::parse(addr); });
		if (auto w = v.find("weight"); w != v.end()) {
			if (!w->is_number_integer() || w->get<int64_t>() < 1 ||
			    w->get<int64_t>() > 65535)
				throw error(at + "/weight",
					    "weight " + w->dump() +
						    " is not a whole number in 1..65535 (a "
						    "backend that takes no new flows is "
						    "\"state\": \"draining\")");
			b.weight = static_cast<uint16_t>(w->get<int64_t>());
		}
		if (auto s = v.find("state"); s != v.end()) {
			if (*s != "active" && *s != "draining")
				throw error(at + "/state", "state " + s->dump() +
								   " is neither \"active\" nor "
								   "\"draining\"");
			b.draining = *s == "draining";
		}
		return b;
	}

	std::string_view text_;
	const std::string &origin_;
	Locator locator_;
};

std::string backend_line(const char *verb, const BackendSpec &b)
{
	return std::string(verb) + " backend " + b.addr.str() + " (weight " +
	       std::to_string(b.weight) + (b.draining ? ", draining)" : ")");
}

} // namespace

LbConfig parse_config(const std::string &text, const std::string &origin)
{
	json doc;
	try {
		doc = json::parse(text);
	} catch (const json::parse_error &e) {
		// nlohmann says where by byte; the message after its own position prefix
		std::string why = e.what();
		if (std::size_t colon = why.find(": "); colon != std::string::npos)
			why.erase(0, colon + 2);
		throw Error(origin + ":" + line_column(text, e.byte == 0 ? 0 : e.byte - 1) +
				    ": not JSON: " + why,
			    ExitCode::Usage);
	}
	return Reader(text, origin).read(doc);
}

std::string format_config(const LbConfig &c)
{
	nlohmann::ordered_json vips = nlohmann::ordered_json::array();
	for (const VipConfig &v : c.vips) {
		nlohmann::ordered_json backends = nlohmann::ordered_json::array();
		for (const BackendSpec &b : v.backends)
			backends.push_back({{"address", b.addr.str()},
					    {"weight", b.weight},
					    {"state", b.draining ? "draining" : "active"}});
		vips.push_back({{"vip", v.service.str()}, {"backends", backends}});
	}
	nlohmann::ordered_json doc;
	doc["vips"] = vips;
	return doc.dump(2) + "\n";
}

LbConfig current_config(Balancer &lb)
{
	// Read back through the same parser's rules: the canonical order.
	LbConfig c;
	for (const VipStatus &v : lb.vips()) {
		VipConfig vip{v.service, {}};
		for (const BackendStatus &b : lb.backends(v.service))
			vip.backends.push_back({b.addr, b.weight, b.state == "draining"});
		c.vips.push_back(vip);
	}
	return parse_config(format_config(c), "(the lb)");
}

ConfigPlan plan_config(const LbConfig &have, const LbConfig &want)
{
	ConfigPlan plan;
	auto find = [](const LbConfig &c, const Service &s) -> const VipConfig * {
		for (const VipConfig &v : c.vips)
			if (v.service == s)
				return &v;
		return nullptr;
	};
	for (const VipConfig &v : have.vips)
		if (!find(want, v.service)) {
			ConfigStep step{
				ConfigStep::DelVip, v, {}, 0, static_cast<int>(v.backends.size())};
			step.changes.push_back("delete the VIP and its " +
					       std::to_string(v.backends.size()) + " backends");
			plan.steps.push_back(step);
		}
	std::vector<ConfigStep> sets;
	for (const VipConfig &w : want.vips) {
		const VipConfig *h = find(have, w.service);
		ConfigStep step{ConfigStep::SetVip, w, {}, 0, 0};
		if (!h)
			step.changes.push_back("add the VIP");
		for (const BackendSpec &b : w.backends) {
			const BackendSpec *old = nullptr;
			for (std::size_t i = 0; h && i < h->backends.size(); i++)
				if (h->backends[i].addr == b.addr)
					old = &h->backends[i];
			if (!old) {
				step.joining++;
				step.changes.push_back(backend_line("add", b));
			} else if (!(*old == b)) {
				step.changes.push_back(backend_line("set", b));
			}
		}
		if (h)
			for (const BackendSpec &o : h->backends)
				if (std::none_of(w.backends.begin(), w.backends.end(),
						 [&](const BackendSpec &b) {
							 return b.addr == o.addr;
						 })) {
					step.leaving++;
					step.changes.push_back("delete backend " + o.addr.str());
				}
		if (!step.changes.empty())
			sets.push_back(step);
	}
	// Those that free slots before those that take them.
	std::stable_sort(sets.begin(), sets.end(), [](const ConfigStep &a, const ConfigStep &b) {
		return a.joining - a.leaving < b.joining - b.leaving;
	});
	plan.steps.insert(plan.steps.end(), sets.begin(), sets.end());
	return plan;
}

ConfigPlan apply_config(Balancer &lb, const LbConfig &want)
{
	LbConfig have = current_config(lb);
	ConfigPlan plan = plan_config(have, want);
	// The slots the lb needs at each step, checked before the first change.
	int used = 0;
	for (const VipConfig &v : have.vips)
		used += static_cast<int>(v.backends.size());
	for (const ConfigStep &s : plan.steps) {
		if (used + s.joining > static_cast<int>(kMaxBackends))
			throw Error("VIP " + s.want.service.str() + " needs " +
					    std::to_string(s.joining) + " more backends while " +
					    std::to_string(used) + " of the lb's " +
					    std::to_string(kMaxBackends) +
					    " are in use (apply a configuration with fewer "
					    "backends first)",
				    ExitCode::Conflict);
		used += s.joining - s.leaving;
	}
	for (const ConfigStep &s : plan.steps) {
		if (s.kind == ConfigStep::DelVip)
			lb.del_vip(s.want.service);
		else
			plan.entries_written += lb.set_vip(s.want.service, s.want.backends);
	}
	return plan;
}

} // namespace netext::lb
