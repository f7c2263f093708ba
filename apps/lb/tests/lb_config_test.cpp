// The LB's whole configuration (netext/lb/config.hpp): parsing with errors that name the line
// and the field, export, and apply on in-memory maps: idempotent, each changed table entry
// written once, traffic kept flowing at every single write, the same tables on every LB.
#include <netext/lb/config.hpp>
#include <netext/lb/maglev.hpp>
#include <netext/loader/error.hpp>

#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <string>

#include "memory_lb_maps.hpp"

namespace lb = netext::lb;
using lb::testing::MemoryLbMaps;

namespace {

constexpr uint32_t kRing = 251;

struct Member {
	MemoryLbMaps *maps;
	lb::Balancer balancer;
	explicit Member(uint32_t ring = kRing) : Member(std::make_unique<MemoryLbMaps>(ring), ring)
	{}

private:
	Member(std::unique_ptr<MemoryLbMaps> m, uint32_t ring)
		: maps(m.get()), balancer(std::move(m), ring)
	{}
};

// Each VIP's table as backend addresses ("-": no backend), by VIP.
std::map<std::string, std::vector<std::string>> routes(Member &m)
{
	std::map<std::string, std::vector<std::string>> out;
	const uint32_t ring = m.balancer.ring_size();
	for (const lb::VipStatus &v : m.balancer.vips()) {
		std::map<uint32_t, std::string> name;
		for (const lb::BackendStatus &b : m.balancer.backends(v.service))
			name[b.id] = b.addr.str();
		std::vector<std::string> &t = out[v.service.str()];
		for (uint32_t e = 0; e < ring; e++) {
			uint32_t id = m.maps->ring()[size_t{v.index} * ring + e];
			t.push_back(id ? name[id] : "-");
		}
	}
	return out;
}

lb::ConfigPlan apply_text(Member &m, const std::string &text)
{
	return lb::apply_config(m.balancer, lb::parse_config(text, "test.json"));
}

// The error parse_config gives ("" if none).
std::string parse_error(const std::string &text)
{
	try {
		lb::parse_config(text, "f.json");
	} catch (const netext::Error &e) {
		EXPECT_EQ(e.code(), netext::ExitCode::Usage) << e.what();
		return e.what();
	}
	return "";
}

const std::string kFirst = R"({
  "vips": [
    {"vip": "198.18.1.10:80/tcp",
     "backends": [{"address": "198.18.0.12", "weight": 3},
                  {"address": "198.18.0.11"},
                  {"address": "198.18.0.13", "state": "draining"}]},
    {"vip": "[2001:db8:1::10]:443/udp", "backends": [{"address": "2001:db8::11"}]},
    {"vip": "198.18.1.10:53/udp"}
  ]
}
)";

// Every kind of change from kFirst: a backend added, one deleted, one drained, one back from
// draining, a weight changed, a VIP added with backends, a VIP deleted.
const std::string kSecond = R"({"vips": [
  {"vip": "198.18.1.10:80/tcp",
   "backends": [{"address": "198.18.0.12", "weight": 1},
                {"address": "198.18.0.13"},
                {"address": "198.18.0.14", "weight": 2},
                {"address": "198.18.0.15", "state": "draining"}]},
  {"vip": "198.18.1.10:53/udp", "backends": [{"address": "198.18.0.11"}]},
  {"vip": "198.18.1.11:80/tcp",
   "backends": [{"address": "198.18.0.11"}, {"address": "198.18.0.12"}]}
]}
)";

} // namespace

TEST(LbConfig, ParsesDefaultsAndExportsInCanonicalOrder)
{
	lb::LbConfig c = lb::parse_config(kFirst, "test.json");
	ASSERT_EQ(c.vips.size(), 3u);
	// IPv4 first, by address, port, protocol; backends by address.
	EXPECT_EQ(c.vips[0].service.str(), "198.18.1.10:53/udp");
	EXPECT_EQ(c.vips[1].service.str(), "198.18.1.10:80/tcp");
	EXPECT_EQ(c.vips[2].service.str(), "[2001:db8:1::10]:443/udp");
	EXPECT_TRUE(c.vips[0].backends.empty());
	const auto &b = c.vips[1].backends;
	ASSERT_EQ(b.size(), 3u);
	EXPECT_EQ(b[0].addr.str(), "198.18.0.11");
	EXPECT_EQ(b[0].weight, 1);
	EXPECT_FALSE(b[0].draining);
	EXPECT_EQ(b[1].weight, 3);
	EXPECT_TRUE(b[2].draining);

	std::string text = lb::format_config(c);
	EXPECT_EQ(lb::parse_config(text, "export"), c);
	EXPECT_NE(text.find(R"("address": "198.18.0.13",
          "weight": 1,
          "state": "draining")"),
		  std::string::npos)
		<< text;
	EXPECT_EQ(lb::format_config(lb::parse_config(text, "export")), text);
}

TEST(LbConfig, SyntaxErrorsNameLineAndColumn)
{
	// Line 3 lacks the comma after "198.18.1.10:80/tcp": the parser notices at the end of
	// the next key.
	std::string e = parse_error("{\"vips\": [\n  {\"vip\": \"198.18.1.10:80/tcp\"\n"
				    "   \"backends\": []}]}");
	EXPECT_TRUE(e.starts_with("f.json:3:13: not JSON: ")) << e;
	EXPECT_EQ(e.find("json.exception"), std::string::npos) << e;
	e = parse_error("{\"vips\": [");
	EXPECT_TRUE(e.starts_with("f.json:1:11: not JSON: ")) << e;
	e = parse_error("");
	EXPECT_TRUE(e.starts_with("f.json:1:1: not JSON: ")) << e;
}

TEST(LbConfig, SemanticErrorsNameLineAndField)
{
	struct Case {
		std::string text, where, why;
	};
	const std::string head =
		"{\"vips\": [\n {\"vip\": \"198.18.1.10:80/tcp\",\n  \"backends\": [\n";
	const std::vector<Case> cases = {
		{"[]", "f.json:1:1: the document: ", "expected an object, found a list"},
		{"{}", "f.json:1:1: the document: ", "no \"vips\""},
		{"{\"vips\": {}}", "f.json:1:2: /vips: ", "expected a list of VIPs"},
		{"{\"vips\": [], \"vip\": 1}", "f.json:1:14: /vip: ", "unknown field \"vip\""},
		{"{\"vips\": [\n {\"vip\": \"198.18.1.10\"}]}",
		 "f.json:2:3: /vips/0/vip: ", "no port"},
		{"{\"vips\": [\n {\"vip\": 80}]}",
		 "f.json:2:3: /vips/0/vip: ", "found the number 80"},
		{"{\"vips\": [\n {\"vips\": \"198.18.1.10:80/tcp\"}]}",
		 "f.json:2:3: /vips/0/vips: ",
		 "unknown field \"vips\" (fields here: vip, backends)"},
		{head + "   {\"address\": \"198.18.0.11\", \"weight\": 0}]}]}",
		 "f.json:4:31: /vips/0/backends/0/weight: ", "weight 0 is not a whole number"},
		{head + "   {\"address\": \"198.18.0.11\"},\n   {\"address\": \"198.18.0.12\", "
			"\"weight\": 65536}]}]}",
		 "f.json:5:31: /vips/0/backends/1/weight: ", "weight 65536"},
		{head + "   {\"address\": \"198.18.0.11\", \"weight\": \"2\"}]}]}",
		 "f.json:4:31: /vips/0/backends/0/weight: ", "weight \"2\""},
		{head + "   {\"address\": \"198.18.0.11\", \"weight\": 1.5}]}]}",
		 "f.json:4:31: /vips/0/backends/0/weight: ", "weight 1.5"},
		{head + "   {\"address\": \"198.18.0.11\", \"state\": \"gone\"}]}]}",
		 "f.json:4:31: /vips/0/backends/0/state: ", "neither \"active\" nor \"draining\""},
		{head + "   {\"addr\": \"198.18.0.11\"}]}]}",
		 "f.json:4:5: /vips/0/backends/0/addr: ", "unknown field \"addr\""},
		{head + "   {\"weight\": 2}]}]}",
		 "f.json:4:4: /vips/0/backends/0: ", "no \"address\""},
		{head + "   {\"address\": \"198.18.0.300\"}]}]}",
		 "f.json:4:5: /vips/0/backends/0/address: ", "'198.18.0.300' is not an IPv4"},
		{head + "   {\"address\": \"2001:db8::11\"}]}]}",
		 "f.json:4:5: /vips/0/backends/0/address: ", "family must be the VIP's"},
		{head + "   {\"address\": \"198.18.0.11\"},\n   {\"address\": "
			"\"198.18.0.011\"}]}]}",
		 "", "'198.18.0.011' is not an IPv4"},
		{head + "   {\"address\": \"198.18.0.11\"},\n   {\"address\": \"198.18.0.11\"}]}]}",
		 "f.json:5:5: /vips/0/backends/1/address: ",
		 "given twice for 198.18.1.10:80/tcp (also /vips/0/backends/0)"},
		{head + "   {\"address\": \"198.18.0.11\", \"weight\": 1, \"weight\": 2}]}]}",
		 "f.json:4:44: /vips/0/backends/0/weight: ", "given twice in its object"},
		{"{\"vips\": [{\"vip\": \"198.18.1.10:80/tcp\"},\n"
		 "  {\"vip\": \"198.18.1.10:80/tcp\", \"backends\": []}]}",
		 "f.json:2:4: /vips/1/vip: ", "is given twice (also /vips/0"},
		{"{\"vips\": [{\"vip\": \"198.18.1.10:80/tcp\", \"backends\": {}}]}",
		 "f.json:1:41: /vips/0/backends: ", "expected a list of backends, found an object"},
	};
	for (const Case &c : cases) {
		std::string e = parse_error(c.text);
		SCOPED_TRACE(c.text);
		EXPECT_TRUE(e.starts_with(c.where)) << e;
		EXPECT_NE(e.find(c.why), std::string::npos) << e;
	}
	// More VIPs than the lb holds.
	std::string many = "{\"vips\": [";
	for (uint32_t i = 0; i <= lb::kMaxVips; i++)
		many += std::string(i ? ",\n" : "\n") + "{\"vip\": \"198.18.1." +
			std::to_string(i) + ":80/tcp\"}";
	std::string e = parse_error(many + "]}");
	EXPECT_TRUE(e.starts_with("f.json:66:1: /vips/64: 65 VIPs; the lb holds at most 64")) << e;
}

TEST(LbConfig, ApplyingTheSameFileAgainChangesNothing)
{
	Member m;
	lb::ConfigPlan first = apply_text(m, kFirst);
	EXPECT_FALSE(first.empty());
	EXPECT_EQ(first.entries_written, 2 * kRing); // two VIPs with backends, built from zero
	EXPECT_EQ(lb::current_config(m.balancer), lb::parse_config(kFirst, "test.json"));

	const uint64_t writes = m.maps->writes;
	lb::ConfigPlan again = apply_text(m, kFirst);
	EXPECT_TRUE(again.empty());
	EXPECT_EQ(again.entries_written, 0u);
	EXPECT_EQ(m.maps->writes, writes); // not one map write

	// What it exports applies as a no-op too, and another LB given it agrees.
	std::string exported = lb::format_config(lb::current_config(m.balancer));
	EXPECT_TRUE(apply_text(m, exported).empty());
	Member other;
	apply_text(other, exported);
	EXPECT_EQ(routes(other), routes(m));
	EXPECT_EQ(lb::format_config(lb::current_config(other.balancer)), exported);
}

// From kFirst to kSecond, checked after every single map write: every table entry of a
// published VIP names a backend of that VIP that is not free, and is the entry's old backend
// or its new one (by address), or none for a VIP being deleted; a new VIP appears with its
// complete table. Each changed entry is written once, and no other.
TEST(LbConfig, ApplyKeepsTrafficFlowingAndWritesEachChangedEntryOnce)
{
	Member m;
	apply_text(m, kFirst);
	auto before = routes(m);
	Member reference;
	apply_text(reference, kSecond);
	auto after = routes(reference);

	uint64_t checks = 0;
	m.maps->after_write = [&] {
		checks++;
		for (const auto &[key, vip] : m.maps->vips()) {
			lb::VipKey k{};
			std::memcpy(&k, key.data(), sizeof(k));
			lb::Service s;
			s.addr.family = k.family == lb::Ipv6 ? AF_INET6 : AF_INET;
			std::memcpy(s.addr.bytes.data(), &k.addr, s.addr.bytes.size());
			s.port = k.port.host();
			s.proto = k.proto;
			const std::string name = s.str();
			for (uint32_t e = 0; e < kRing; e++) {
				uint32_t id = m.maps->ring()[size_t{vip.index} * kRing + e];
				std::string to = "-";
				if (id != 0) {
					const lb::Backend &b = m.maps->backend(id - 1);
					ASSERT_NE(b.state, lb::Free) << name << " entry " << e;
					ASSERT_EQ(b.vip, vip.index) << name << " entry " << e;
					char text[INET6_ADDRSTRLEN];
					inet_ntop(b.family == lb::Ipv6 ? AF_INET6 : AF_INET,
						  &b.addr, text, sizeof(text));
					to = text;
				}
				// A new VIP has no old entries: it must be complete when it
				// appears. A VIP being deleted empties its table before it goes
				// (its packets are dropped meanwhile; `vip del` frees its backends
				// before the VIP itself, so an interruption never hands them on).
				bool old_or_new = (before.count(name) && before[name][e] == to) ||
						  (after.count(name) && after[name][e] == to) ||
						  (!after.count(name) && to == "-");
				ASSERT_TRUE(old_or_new) << name << " entry " << e << ": " << to;
			}
		}
	};
	m.maps->ring_entries_written = 0;
	lb::ConfigPlan plan = apply_text(m, kSecond);
	m.maps->after_write = nullptr;
	EXPECT_GT(checks, 0u);
	EXPECT_EQ(routes(m), after);

	uint32_t differ = 0;
	for (const auto &[name, table] : after)
		for (uint32_t e = 0; e < kRing; e++)
			differ += !before.count(name) || before[name][e] != table[e];
	EXPECT_EQ(plan.entries_written, differ);
	EXPECT_EQ(m.maps->ring_entries_written, differ + kRing); // + the deleted VIP's, zeroed
	// Deleted VIP 2001:db8:1::10 first, then one step per changed VIP.
	ASSERT_EQ(plan.steps.size(), 4u);
	EXPECT_EQ(plan.steps[0].kind, lb::ConfigStep::DelVip);
	EXPECT_EQ(lb::current_config(m.balancer), lb::parse_config(kSecond, "test.json"));
}

TEST(LbConfig, ConfigurationTheLbCannotHoldOnTheWayChangesNothing)
{
	// 600 + 400 backends, then the 600 replaced by 600 others: 1,600 slots at once.
	auto config = [](uint32_t first) {
		std::string t = "{\"vips\": [{\"vip\": \"198.18.1.10:80/tcp\", \"backends\": [";
		for (uint32_t i = 0; i < 600; i++)
			t += std::string(i ? "," : "") + "{\"address\": \"198.18." +
			     std::to_string(first + i / 200) + "." + std::to_string(1 + i % 200) +
			     "\"}";
		t += "]}, {\"vip\": \"198.18.1.11:80/tcp\", \"backends\": [";
		for (uint32_t i = 0; i < 400; i++)
			t += std::string(i ? "," : "") + "{\"address\": \"198.18.9" +
			     std::to_string(i / 200) + "." + std::to_string(1 + i % 200) + "\"}";
		return t + "]}]}";
	};
	Member m(1031);
	apply_text(m, config(10));
	auto before = routes(m);
	const uint64_t writes = m.maps->writes;
	try {
		apply_text(m, config(20));
		ADD_FAILURE() << "no error";
	} catch (const netext::Error &e) {
		EXPECT_EQ(e.code(), netext::ExitCode::Conflict);
		EXPECT_NE(std::string(e.what()).find("needs 600 more backends while 1000"),
			  std::string::npos)
			<< e.what();
	}
	EXPECT_EQ(m.maps->writes, writes);
	EXPECT_EQ(routes(m), before);
}

// A fleet: LBs with different histories (one new, others configured by hand, with other
// VIPs, backends added and deleted, drained) given the same file have the same tables
// and export the same text.
TEST(LbConfig, TheSameFileGivesEveryLbTheSameTables)
{
	std::mt19937 rng(25);
	for (int round = 0; round < 10; round++) {
		Member fresh;
		apply_text(fresh, kSecond);
		Member used;
		lb::Balancer &b = used.balancer;
		auto svc = [](const char *s) { return lb::Service::parse(s); };
		auto ip = [](const std::string &s) { return lb::IpAddress::parse(s); };
		b.add_vip(svc("198.18.1.99:80/tcp"));
		b.add_vip(svc("198.18.1.10:80/tcp"));
		for (uint32_t i = 0; i < 1 + rng() % 8; i++)
			b.add_backend(svc("198.18.1.10:80/tcp"),
				      ip("198.18.0." + std::to_string(10 + rng() % 10)),
				      static_cast<uint16_t>(1 + rng() % 3));
		b.add_backend(svc("198.18.1.99:80/tcp"), ip("198.18.0.50"));
		if (rng() % 2)
			b.drain_backend(svc("198.18.1.99:80/tcp"), ip("198.18.0.50"));
		apply_text(used, kFirst);
		apply_text(used, kSecond);
		EXPECT_EQ(routes(used), routes(fresh)) << "round " << round;
		EXPECT_EQ(lb::format_config(lb::current_config(used.balancer)),
			  lb::format_config(lb::current_config(fresh.balancer)));
	}
}
