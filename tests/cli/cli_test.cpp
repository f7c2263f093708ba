// The netext CLI end to end, on throwaway testbeds: attach / status / stats / detach round
// trips (XDP, and XDP + tc ingress + egress), traffic counted, --json output, every error
// a user can cause (exact exit status, interface left as it was), and rollback of a
// failure at each attach step.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

#include "require_root.hpp"
#include "testbed.hpp"

using json = nlohmann::json;
using netext::testing::shell;
using netext::testing::Testbed;

namespace {

using Result = netext::testing::Captured;

// Runs `env... netext args` with stdout and stderr captured separately.
Result netext_cli(const std::string &args, const std::string &env = "")
{
	return netext::testing::capture(env + " " NETEXT_CLI " " + args);
}

// What the interface has, to check that a failed command left it as it was.
std::string iface_state(const std::string &ns)
{
	std::string link, qdisc, in, eg, pins;
	shell("ip -n " + ns + " -d link show eth0 | grep -o 'prog/xdp id [0-9]*'", &link);
	shell("tc -n " + ns + " qdisc show dev eth0", &qdisc);
	shell("tc -n " + ns + " filter show dev eth0 ingress", &in);
	shell("tc -n " + ns + " filter show dev eth0 egress", &eg);
	shell("ls -R /sys/fs/bpf/netext/netns:" + ns + " 2>/dev/null", &pins);
	return "xdp: " + link + "\nqdisc: " + qdisc + "\ningress: " + in + "\negress: " + eg +
	       "\npins: " + pins;
}

// Packets reach the receiver's XDP/tc in its NAPI poll, possibly on another CPU, after
// sendto() returns: counters are read once they have caught up (or after 2 s).
template <class Pred>
bool eventually(Pred done)
{
	for (int i = 0; i < 200; i++) {
		if (done())
			return true;
		usleep(10000);
	}
	return done();
}

class Cli : public ::testing::Test {
protected:
	void SetUp() override
	{
		NETEXT_REQUIRE_ROOT();
		tb_ = std::make_unique<Testbed>();
		ns_ = tb_->server();
	}
	void TearDown() override
	{
		netext_cli("-n " + ns_ + " detach eth0"); // whatever a failed test left
		tb_.reset();
	}
	std::string n() const { return "-n " + ns_ + " "; }

	std::unique_ptr<Testbed> tb_;
	std::string ns_;
};

} // namespace

TEST_F(Cli, HelpAndVersionReadLikeAFinishedTool)
{
	Result r = netext_cli("--help");
	EXPECT_EQ(r.code, 0);
	for (const char *cmd : {"attach", "detach", "status", "stats", "map", "apps"})
		EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
	r = netext_cli("attach --help");
	EXPECT_EQ(r.code, 0);
	EXPECT_NE(r.out.find("--mode"), std::string::npos);
	EXPECT_NE(r.out.find("--set KEY=VALUE"), std::string::npos);
	for (const char *cmd : {"detach", "status", "stats", "map", "apps"})
		EXPECT_EQ(netext_cli(std::string(cmd) + " --help").code, 0) << cmd;
	r = netext_cli("--version");
	EXPECT_EQ(r.code, 0);
	EXPECT_NE(r.out.find("netext 0."), std::string::npos);
	EXPECT_EQ(netext_cli("").code, 2);
	EXPECT_EQ(netext_cli("frobnicate").code, 2);
	EXPECT_EQ(netext_cli("attach eth0").code, 2);
	EXPECT_EQ(netext_cli("status --bogus").code, 2);
}

TEST_F(Cli, XdpAndTcRoundTripLeavesNothingBehind)
{
	std::string before = iface_state(ns_);
	Result r = netext_cli(n() + "attach eth0 counter");
	ASSERT_EQ(r.code, 0) << r.err;
	EXPECT_NE(r.out.find("tc-egress"), std::string::npos);
	std::string attached = iface_state(ns_);
	EXPECT_NE(attached.find("prog/xdp id"), std::string::npos) << attached;
	EXPECT_NE(attached.find("clsact"), std::string::npos) << attached;
	EXPECT_NE(attached.find("count_tc_ingress"), std::string::npos) << attached;
	EXPECT_NE(attached.find("count_tc_egress"), std::string::npos) << attached;

	r = netext_cli(n() + "status eth0");
	EXPECT_EQ(r.code, 0);
	EXPECT_NE(r.out.find("counter"), std::string::npos);
	EXPECT_NE(r.out.find("count_xdp"), std::string::npos);
	// The same attachment is found from inside `ip netns exec` (another mount namespace).
	std::string inside;
	shell("ip netns exec " + ns_ + " " NETEXT_CLI " status --json", &inside);
	EXPECT_EQ(json::parse(inside)["attachments"].size(), 1u) << inside;

	r = netext_cli(n() + "detach eth0 counter");
	ASSERT_EQ(r.code, 0) << r.err;
	EXPECT_EQ(iface_state(ns_), before);
}

// A namespace deleted with an app still attached: `status` changes nothing (read-only),
// and `status --prune` removes the pins (its programs are attached nowhere).
TEST_F(Cli, PinsOfADeletedNamespaceAreRemoved)
{
	const std::string ns = "nxcli-gone-" + std::to_string(getpid());
	struct Cleanup {
		std::string ns;
		~Cleanup() { shell("ip netns del " + ns + " 2>/dev/null"); } // if the test failed
	} cleanup{ns};
	ASSERT_EQ(shell("ip netns add " + ns + " && ip -n " + ns +
			" link add va type veth peer name vb && ip -n " + ns + " link set va up"),
		  0);
	Result r = netext_cli("-n " + ns + " attach va counter");
	ASSERT_EQ(r.code, 0) << r.err;
	std::string dir = "/sys/fs/bpf/netext/netns:" + ns;
	EXPECT_EQ(shell("test -d " + dir), 0);
	ASSERT_EQ(shell("ip netns del " + ns), 0);
	r = netext_cli("status");
	EXPECT_EQ(r.code, 0) << r.err;
	EXPECT_EQ(shell("test -d " + dir), 0) << "a read-only status removed " << dir;
	r = netext_cli("status --prune");
	EXPECT_EQ(r.code, 0) << r.err;
	EXPECT_NE(r.out.find("pruned counter on va"), std::string::npos) << r.out;
	EXPECT_NE(shell("test -d " + dir), 0) << dir << " still there";
}

TEST_F(Cli, XdpOnlyAppWithSettingsFromInsideNetnsExec)
{
	std::string before = iface_state(ns_);
	std::string exec = "ip netns exec " + ns_ + " " NETEXT_CLI " ";
	std::string out;
	ASSERT_EQ(shell(exec + "attach eth0 echo --set port=9", &out), 0) << out;
	ASSERT_EQ(shell(exec + "status eth0 --json", &out), 0);
	json j = json::parse(out);
	ASSERT_EQ(j["attachments"].size(), 1u);
	EXPECT_EQ(j["attachments"][0]["config"]["port"], "9");
	EXPECT_EQ(j["attachments"][0]["hooks"].size(), 1u);
	// The knob is live: UDP to port 9 is echoed by XDP (counted as replied).
	tb_->run(tb_->client(), "ip link set eth0 xdp obj " NETEXT_PASS_OBJECT " sec xdp");
	tb_->send_udp(Testbed::kServerIp4, 9, 5);
	eventually([&] {
		shell(exec + "stats eth0 echo --json", &out);
		return json::parse(out)["stats"][0]["packets"].get<int>() >= 5;
	});
	ASSERT_EQ(shell(exec + "stats eth0 echo --json", &out), 0) << out;
	j = json::parse(out);
	EXPECT_EQ(j["stats"][0]["slot"], "replied");
	EXPECT_GE(j["stats"][0]["packets"].get<int>(), 5);
	tb_->run(tb_->client(), "ip link set eth0 xdp off");
	ASSERT_EQ(shell(exec + "detach eth0", &out), 0) << out;
	EXPECT_EQ(iface_state(ns_), before);
}

TEST_F(Cli, TrafficIsCountedAndReadBackThroughStats)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	tb_->send_udp(Testbed::kServerIp4, 9, 12);
	tb_->run(tb_->client(),
		 std::string("ping -6 -c 4 -i 0.2 -W 1 ") + Testbed::kServerIp6 + " >/dev/null");
	eventually([&] {
		return netext_cli(n() + "map eth0 counter lookup stats 1").out.find("packets=12") !=
		       std::string::npos;
	});
	Result r = netext_cli(n() + "stats eth0 counter --json");
	ASSERT_EQ(r.code, 0) << r.err;
	json j = json::parse(r.out);
	EXPECT_EQ(j["app"], "counter");
	EXPECT_EQ(j["ifname"], "eth0");
	auto count = [&](const std::string &slot) {
		for (const json &row : j["stats"])
			if (row["slot"] == slot)
				return row["packets"].get<uint64_t>();
		ADD_FAILURE() << "no slot " << slot;
		return uint64_t{0};
	};
	EXPECT_EQ(count("xdp ipv4/udp"), 12u);
	EXPECT_EQ(count("tc-ingress ipv4/udp"), 12u);
	EXPECT_GE(count("xdp ipv6/icmp"), 4u);
	EXPECT_GE(count("tc-egress ipv6/icmp"), 4u); // the echo replies
	r = netext_cli(n() + "stats eth0 counter");
	EXPECT_NE(r.out.find("xdp ipv4/udp"), std::string::npos);
	r = netext_cli(n() + "stats eth0 counter --json --watch 0.2 --count 2");
	EXPECT_EQ(r.code, 0);
	std::istringstream lines(r.out);
	std::string line;
	int samples = 0;
	while (std::getline(lines, line))
		samples += json::parse(line).contains("stats") ? 1 : 0;
	EXPECT_EQ(samples, 2);

	// Typed map access agrees with stats.
	r = netext_cli(n() + "map eth0 counter lookup stats 1");
	EXPECT_EQ(r.code, 0) << r.err;
	EXPECT_NE(r.out.find("packets=12"), std::string::npos) << r.out;
	EXPECT_EQ(netext_cli(n() + "map eth0 counter update stats 1 packets=0,bytes=0").code, 0);
	r = netext_cli(n() + "map eth0 counter lookup stats 1 --json");
	EXPECT_EQ(json::parse(r.out)["value"], "packets=0 bytes=0");
	r = netext_cli(n() + "map eth0 counter list --json");
	json maps = json::parse(r.out);
	ASSERT_EQ(maps.size(), 1u);
	EXPECT_EQ(maps[0]["name"], "stats");
	EXPECT_EQ(maps[0]["type"], "percpu_array");
	EXPECT_EQ(netext_cli(n() + "map eth0 counter lookup stats 99999").code, 4);
	EXPECT_EQ(netext_cli(n() + "map eth0 counter lookup stats notanumber").code, 2);
	EXPECT_EQ(netext_cli(n() + "map eth0 counter dump nosuchmap").code, 4);
}

TEST_F(Cli, JsonOutputsHaveTheDocumentedFields)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	json s = json::parse(netext_cli(n() + "status --json").out);
	ASSERT_EQ(s["attachments"].size(), 1u);
	const json &a = s["attachments"][0];
	for (const char *k : {"ifname", "ifindex", "netns", "app", "source", "backend", "hooks",
			      "maps", "config", "attached_at", "pin_dir", "live", "note"})
		EXPECT_TRUE(a.contains(k)) << k;
	EXPECT_EQ(a["netns"], "netns:" + ns_);
	EXPECT_EQ(a["backend"], "ebpf");
	EXPECT_EQ(a["source"], "builtin");
	EXPECT_TRUE(a["live"].get<bool>());
	for (const json &h : a["hooks"]) {
		EXPECT_TRUE(h.contains("hook") && h.contains("program") && h.contains("prog_id"));
		EXPECT_GT(h["prog_id"].get<uint32_t>(), 0u);
		if (h["hook"] == "xdp") {
			EXPECT_TRUE(h["mode"] == "native" || h["mode"] == "skb") << h;
		}
	}
	bool saw_iface = false;
	for (const json &i : s["interfaces"])
		if (i["ifname"] == "eth0") {
			saw_iface = true;
			ASSERT_FALSE(i["xdp"].empty());
			EXPECT_EQ(i["xdp"][0]["netext_app"], "counter");
			EXPECT_TRUE(i["xdp"][0].contains("mode"));
		}
	EXPECT_TRUE(saw_iface);
	json apps = json::parse(netext_cli("apps --json").out);
	ASSERT_GE(apps.size(), 2u);
	for (const json &app : apps)
		EXPECT_TRUE(app.contains("name") && app.contains("summary") &&
			    app.contains("hooks") && app.contains("settings"));
}

TEST_F(Cli, ErrorsNameTheCauseExitWithTheirCodeAndChangeNothing)
{
	std::string before = iface_state(ns_);
	struct Case {
		std::string args, env;
		int code;
		std::string says;
	} cases[] = {
		{"attach eth9 counter", "", 4, "interface 'eth9' does not exist"},
		{"attach eth0 nosuchapp", "", 4, "unknown app 'nosuchapp'"},
		{"attach eth0 echo --set nosuch=1", "", 2, "has no setting 'nosuch'"},
		{"attach eth0 echo --set port=seven", "", 2, "is not a non-negative integer"},
		{"attach eth0 echo --set port=70000", "", 2, "out of range"},
		{"attach eth0 echo --set port", "", 2, "--set takes KEY=VALUE"},
		{"attach eth0 echo --mode turbo", "", 2, "unknown XDP mode"},
		{"attach eth0 counter", "NETEXT_BPFFS=/proc/version", 6, "no usable bpffs"},
		{"detach eth0 counter", "", 4, "is not attached"},
		{"stats eth0 counter", "", 4, "is not attached"},
	};
	for (const Case &c : cases) {
		Result r = netext_cli(n() + c.args, c.env);
		EXPECT_EQ(r.code, c.code) << c.args << ": " << r.err;
		EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << ": " << r.err;
		// the program's name, once, at the start (the library's messages carry none)
		EXPECT_EQ(r.err.rfind("netext: ", 0), 0u) << c.args << ": " << r.err;
		EXPECT_EQ(r.err.find("netext: ", 1), std::string::npos) << c.args << ": " << r.err;
		EXPECT_EQ(iface_state(ns_), before) << c.args;
	}
	// Not root: an unprivileged user without capabilities.
	Result r = netext_cli("-n " + ns_ + " attach eth0 counter",
			      "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all");
	// Entering the namespace already needs privilege; either way the cause is named.
	EXPECT_EQ(r.code, 3) << r.err;
	EXPECT_NE(r.err.find("root"), std::string::npos) << r.err;
	std::string out;
	int code = shell("ip netns exec " + ns_ +
				 " setpriv --reuid=65534 --regid=65534 --clear-groups "
				 "--inh-caps=-all " NETEXT_CLI " attach eth0 counter",
			 &out);
	EXPECT_EQ(code, 3) << out;
	EXPECT_NE(out.find("needs root"), std::string::npos) << out;
	EXPECT_EQ(iface_state(ns_), before);
}

TEST_F(Cli, AlreadyAttachedIsAConflict)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	std::string attached = iface_state(ns_);
	Result r = netext_cli(n() + "attach eth0 counter");
	EXPECT_EQ(r.code, 5);
	EXPECT_NE(r.err.find("already attached"), std::string::npos) << r.err;
	EXPECT_EQ(iface_state(ns_), attached);
}

TEST_F(Cli, ForeignXdpProgramIsAConflict)
{
	// A program attached with plain netlink (not libxdp) cannot share the interface.
	ASSERT_EQ(tb_->run(ns_, "ip link set eth0 xdp obj " NETEXT_PASS_OBJECT " sec xdp"), 0);
	std::string before = iface_state(ns_);
	Result r = netext_cli(n() + "attach eth0 counter");
	EXPECT_EQ(r.code, 5) << r.err;
	EXPECT_NE(r.err.find("not attached through libxdp"), std::string::npos) << r.err;
	EXPECT_EQ(iface_state(ns_), before);
	tb_->run(ns_, "ip link set eth0 xdp off");
}

TEST_F(Cli, FailureAtEachAttachStepIsRolledBack)
{
	std::string before = iface_state(ns_);
	for (const char *step : {"load", "tc", "pin"}) {
		Result r = netext_cli(n() + "attach eth0 counter",
				      std::string("NETEXT_FAULT_INJECT=") + step);
		EXPECT_EQ(r.code, 1) << step;
		EXPECT_NE(r.err.find("injected failure"), std::string::npos) << r.err;
		EXPECT_EQ(iface_state(ns_), before) << "after a failure at " << step;
	}
	// And a clean attach still works afterwards.
	EXPECT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
}

TEST_F(Cli, UserObjectFileAttaches)
{
	Result r = netext_cli(n() + "attach eth0 " NETEXT_USER_OBJECT);
	ASSERT_EQ(r.code, 0) << r.err;
	json s = json::parse(netext_cli(n() + "status --json").out);
	ASSERT_EQ(s["attachments"].size(), 1u);
	EXPECT_EQ(s["attachments"][0]["app"], "handwritten_counter");
	EXPECT_EQ(s["attachments"][0]["hooks"].size(), 3u);
	// the record keeps where it came from: the object's absolute path
	EXPECT_EQ(s["attachments"][0]["source"], NETEXT_USER_OBJECT);
	EXPECT_EQ(netext_cli(n() + "detach eth0").code, 0);
}

// netext's XDP program and another libxdp program on one interface, both running. Needs
// libxdp's multi-program dispatcher, which needs freplace programs; a kernel that refuses
// them (lockdown on the development machine) makes this a skip here, and the test runs in
// the Debian 6.1 guest (ctest guest.cli).
TEST_F(Cli, NetextAndAnotherLibxdpProgramShareAnInterface)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	json s = json::parse(netext_cli(n() + "status --json").out);
	if (!s["attachments"][0]["hooks"][0]["dispatcher"].get<bool>())
		GTEST_SKIP() << "this kernel refuses libxdp's dispatcher: "
			     << s["attachments"][0]["note"].get<std::string>();
	std::string nsenter = "nsenter --net=/run/netns/" + ns_ + " ";
	std::string out;
	ASSERT_EQ(shell(nsenter + "xdp-loader load -m native eth0 " NETEXT_OTHER_OBJECT, &out), 0)
		<< out;
	tb_->send_udp(Testbed::kServerIp4, 9, 7);
	eventually([&] {
		return netext_cli(n() + "map eth0 counter lookup stats 1").out.find("packets=7") !=
		       std::string::npos;
	});
	shell("bpftool map dump name other_count -j", &out);
	json other = json::parse(out);
	ASSERT_EQ(other.size(), 1u) << out;
	uint64_t theirs = 0; // bpftool gives the value's bytes, little-endian
	for (std::size_t i = 0; i < other[0]["value"].size(); i++)
		theirs |= std::stoull(other[0]["value"][i].get<std::string>(), nullptr, 16)
			  << (8 * i);
	EXPECT_GE(theirs, 7u) << out; // it counts everything, ARP and ND included
	json st = json::parse(netext_cli(n() + "stats eth0 counter --json").out);
	uint64_t ours = 0;
	for (const json &row : st["stats"])
		if (row["slot"] == "xdp ipv4/udp")
			ours = row["packets"];
	EXPECT_EQ(ours, 7u);
	// Both appear in status; detaching netext leaves the other program running.
	json status = json::parse(netext_cli(n() + "status eth0 --json").out);
	EXPECT_EQ(status["interfaces"][0]["xdp"].size(), 2u) << status.dump();
	ASSERT_EQ(netext_cli(n() + "detach eth0").code, 0);
	shell(nsenter + "xdp-loader status eth0", &out);
	EXPECT_NE(out.find("other_xdp"), std::string::npos) << out;
	EXPECT_EQ(out.find("count_xdp"), std::string::npos) << out;
	shell(nsenter + "xdp-loader unload eth0 --all", &out);
}

// Modes: loopback has no native XDP, so auto falls back to skb with a note, and an explicit
// native request fails naming the fix; --mode skb is honoured on veth.
TEST_F(Cli, XdpModesAndTheFallbackToSkb)
{
	Result r = netext_cli(n() + "attach lo echo");
	ASSERT_EQ(r.code, 0) << r.err;
	EXPECT_NE(r.out.find("fell back to skb"), std::string::npos) << r.out;
	json s = json::parse(netext_cli(n() + "status lo --json").out);
	EXPECT_EQ(s["attachments"][0]["hooks"][0]["mode"], "skb");
	ASSERT_EQ(netext_cli(n() + "detach lo").code, 0);

	std::string before = iface_state(ns_);
	r = netext_cli(n() + "attach lo echo --mode native");
	EXPECT_EQ(r.code, 1);
	EXPECT_NE(r.err.find("try --mode skb"), std::string::npos) << r.err;

	ASSERT_EQ(netext_cli(n() + "attach eth0 echo --mode skb").code, 0);
	s = json::parse(netext_cli(n() + "status eth0 --json").out);
	EXPECT_EQ(s["attachments"][0]["hooks"][0]["mode"], "skb");
	std::string link;
	shell("ip -n " + ns_ + " -d link show eth0", &link);
	EXPECT_NE(link.find("xdpgeneric"), std::string::npos) << link;
	ASSERT_EQ(netext_cli(n() + "detach eth0").code, 0);
	EXPECT_EQ(iface_state(ns_), before);
}

// With no bpffs where it is told to pin, netext mounts one and keeps its state there.
TEST_F(Cli, MountsABpffsWhereNoneIs)
{
	std::string dir = "/tmp/netext-bpffs-" + std::to_string(getpid());
	shell("mkdir -p " + dir);
	std::string env = "NETEXT_BPFFS=" + dir;
	Result r = netext_cli(n() + "attach eth0 counter", env);
	ASSERT_EQ(r.code, 0) << r.err;
	std::string fstype;
	shell("stat -f -c %T " + dir, &fstype);
	EXPECT_EQ(fstype, "bpf_fs\n");
	std::string pins;
	shell("ls " + dir + "/netext/netns:" + ns_ + "/eth0/counter", &pins);
	EXPECT_NE(pins.find("stats"), std::string::npos) << pins;
	EXPECT_NE(pins.find("state"), std::string::npos) << pins;
	json s = json::parse(netext_cli(n() + "status --json", env).out);
	EXPECT_EQ(s["attachments"].size(), 1u);
	EXPECT_EQ(netext_cli(n() + "detach eth0", env).code, 0);
	shell("ls -A " + dir, &pins); // a new bpffs holds the kernel's preloaded iterators
	EXPECT_EQ(pins.find("netext"), std::string::npos) << "pins left after detach: " << pins;
	shell("umount " + dir + " && rmdir " + dir);
}

// A user object with only a tc program: loaded without libxdp, attached at tc ingress only,
// its packets counted, and the clsact qdisc netext created removed again on detach.
TEST_F(Cli, TcOnlyUserObject)
{
	std::string before = iface_state(ns_);
	Result r = netext_cli(n() + "attach eth0 " NETEXT_TC_ONLY_OBJECT);
	ASSERT_EQ(r.code, 0) << r.err;
	json s = json::parse(netext_cli(n() + "status eth0 --json").out);
	ASSERT_EQ(s["attachments"].size(), 1u);
	ASSERT_EQ(s["attachments"][0]["hooks"].size(), 1u);
	EXPECT_EQ(s["attachments"][0]["hooks"][0]["hook"], "tc-ingress");
	EXPECT_TRUE(s["interfaces"][0]["xdp"].empty()); // XDP untouched
	tb_->send_udp(Testbed::kServerIp4, 9, 6);
	// "0: <count>": the key and value types come from the map's BTF (the object declares
	// nothing else). It counts every ingress packet, and a kernel may add its own (IPv6
	// MLD, router solicitations), so at least the 6 sent.
	auto seen_count = [&] {
		r = netext_cli(n() + "map eth0 tc_only lookup seen 0");
		if (r.code != 0 || !r.out.starts_with("0: "))
			return uint64_t{0};
		return uint64_t{std::stoull(r.out.substr(3))};
	};
	eventually([&] { return seen_count() >= 6; });
	uint64_t seen = seen_count();
	EXPECT_EQ(r.code, 0) << r.err;
	EXPECT_GE(seen, 6u) << r.out;
	ASSERT_EQ(netext_cli(n() + "detach eth0 tc_only").code, 0);
	EXPECT_EQ(iface_state(ns_), before);
}
