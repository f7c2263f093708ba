// The loader never lies and never half-attaches (issue 26): what `netext` says agrees with
// the kernel in the cases an operator meets: a container that cannot see /run/netns, an
// interface renamed or moved to another namespace, a signal (SIGINT, SIGTERM, SIGKILL) at
// every step of an attach, two attaches of one app at once, programs removed behind
// netext's back, and a read-only bpffs. Each test failed before the fix it checks.
#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "require_root.hpp"
#include "testbed.hpp"

using json = nlohmann::json;
using netext::testing::shell;
using netext::testing::Testbed;

namespace {

using Result = netext::testing::Captured;

// The netext under test: this build's, or NETEXT_TEST_CLI (to show that these tests fail
// on an older netext).
std::string cli_path()
{
	const char *other = std::getenv("NETEXT_TEST_CLI");
	return other && *other ? other : NETEXT_CLI;
}

Result netext_cli(const std::string &args, const std::string &env = "")
{
	return netext::testing::capture(env + " " + cli_path() + " " + args);
}

// The interface's hooks as iproute2 sees them (not netext): XDP program id, qdiscs, filters.
std::string hooks_of(const std::string &ns, const std::string &ifname)
{
	std::string link, qdisc, in, eg;
	shell("ip -n " + ns + " -d link show " + ifname + " | grep -o 'prog/xdp id [0-9]*'", &link);
	shell("tc -n " + ns + " qdisc show dev " + ifname + " | grep -o clsact", &qdisc);
	shell("tc -n " + ns + " filter show dev " + ifname + " ingress | grep -o 'id [0-9]*'", &in);
	shell("tc -n " + ns + " filter show dev " + ifname + " egress | grep -o 'id [0-9]*'", &eg);
	return "xdp: " + link + "qdisc: " + qdisc + "ingress: " + in + "egress: " + eg;
}

json status_json(const std::string &ns, const std::string &env = "")
{
	Result r = netext_cli("-n " + ns + " status --json", env);
	EXPECT_EQ(r.code, 0) << r.err;
	try {
		return json::parse(r.out);
	} catch (const json::exception &) {
		ADD_FAILURE() << "not JSON: " << r.out << r.err;
		return json{{"attachments", json::array()}};
	}
}

// A process started in the background with its output in files.
struct Spawned {
	pid_t pid = -1;
	std::string out_path, err_path;
	int wait_code()
	{
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
		}
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	[[nodiscard]] std::string err() const
	{
		std::ifstream f(err_path);
		return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
	}
	~Spawned()
	{
		unlink(out_path.c_str());
		unlink(err_path.c_str());
	}
};

void spawn(Spawned &s, const std::string &args, const std::vector<std::string> &env = {})
{
	static int n = 0;
	std::string base =
		"/tmp/netext-integrity-" + std::to_string(getpid()) + "-" + std::to_string(n++);
	s.out_path = base + ".out";
	s.err_path = base + ".err";
	std::vector<std::string> argv = {cli_path()};
	for (std::size_t at = 0, next; at < args.size(); at = next + 1) {
		next = args.find(' ', at);
		if (next == std::string::npos)
			next = args.size();
		if (next > at)
			argv.push_back(args.substr(at, next - at));
	}
	s.pid = fork();
	if (s.pid == 0) {
		for (const std::string &e : env)
			putenv(const_cast<char *>(e.c_str()));
		int o = open(s.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(s.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(e, 2);
		std::vector<char *> cargv;
		for (std::string &a : argv)
			cargv.push_back(a.data());
		cargv.push_back(nullptr);
		execv(cargv[0], cargv.data());
		_exit(127);
	}
}

// 'T' once the process stopped itself (NETEXT_TEST_PAUSE_AT), 'Z' if it exited instead.
char wait_stopped_or_exited(pid_t pid)
{
	for (;;) {
		std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
		std::string text((std::istreambuf_iterator<char>(f)),
				 std::istreambuf_iterator<char>());
		auto close_paren = text.rfind(')');
		if (close_paren == std::string::npos)
			return 'Z';
		char state = text[close_paren + 2];
		if (state == 'T' || state == 't' || state == 'Z' || state == 'X')
			return state == 't' ? 'T' : state;
		usleep(2000);
	}
}

class Integrity : public ::testing::Test {
protected:
	void SetUp() override
	{
		NETEXT_REQUIRE_ROOT();
		tb_ = std::make_unique<Testbed>();
		ns_ = tb_->server();
	}
	void TearDown() override
	{
		netext_cli("-n " + ns_ + " detach eth0");
		tb_.reset();
	}
	std::string n() const { return "-n " + ns_ + " "; }

	std::unique_ptr<Testbed> tb_;
	std::string ns_;
};

// Item 1: `status` where /run/netns cannot be seen (a container, a private /run) changes
// nothing, and still finds the attachment of the namespace it runs in (by its inode and
// cookie, not by its name).
TEST_F(Integrity, StatusWithoutRunNetnsKeepsRecords)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	const std::string dir = "/sys/fs/bpf/netext/netns:" + ns_ + "/eth0/counter";
	ASSERT_EQ(shell("test -d " + dir), 0);
	const std::string hide = "unshare -m sh -c 'mount -t tmpfs tmpfs /run/netns && ";
	// From the initial namespace (it has no business with another namespace's records).
	std::string out;
	EXPECT_EQ(shell(hide + cli_path() + " status --json'", &out), 0) << out;
	EXPECT_EQ(shell("test -d " + dir), 0) << "status removed " << dir;
	// From inside the namespace, entered without /run/netns: it is found, and ok.
	EXPECT_EQ(shell("nsenter --net=/run/netns/" + ns_ + " " + hide + cli_path() +
				" status eth0 --json'",
			&out),
		  0)
		<< out;
	json j = json::parse(out, nullptr, false);
	ASSERT_FALSE(j.is_discarded()) << out;
	ASSERT_EQ(j["attachments"].size(), 1u) << out;
	EXPECT_EQ(j["attachments"][0]["app"], "counter");
	EXPECT_EQ(j["attachments"][0]["state"], "ok") << out;
	EXPECT_EQ(shell("test -d " + dir), 0) << "status removed " << dir;
	// Detached from there too, completely.
	EXPECT_EQ(shell("nsenter --net=/run/netns/" + ns_ + " " + hide + cli_path() +
				" detach eth0 counter'",
			&out),
		  0)
		<< out;
	EXPECT_EQ(hooks_of(ns_, "eth0"), "xdp: qdisc: ingress: egress: ");
	EXPECT_NE(shell("test -d " + dir), 0);
}

// Item 2: an interface renamed, then moved to another namespace, is followed by its
// programs: status shows its name and namespace now, and detach there removes XDP and
// both tc filters. Where it was, detach refuses (it is not there) and says where it is.
TEST_F(Integrity, RenamedAndMovedInterfacesAreFollowed)
{
	const std::string ns2 = "nxint-moved-" + std::to_string(getpid());
	struct Cleanup {
		std::string ns;
		~Cleanup() { shell("ip netns del " + ns + " 2>/dev/null"); }
	} cleanup{ns2};
	ASSERT_EQ(shell("ip netns add " + ns2), 0);
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	const std::string attached = hooks_of(ns_, "eth0");
	ASSERT_NE(attached.find("prog/xdp"), std::string::npos) << attached;

	// Renamed.
	ASSERT_EQ(tb_->run(ns_, "ip link set eth0 down && ip link set eth0 name ext0 && ip link "
				"set ext0 up"),
		  0);
	json s = status_json(ns_);
	ASSERT_EQ(s["attachments"].size(), 1u) << s.dump();
	EXPECT_EQ(s["attachments"][0]["ifname"], "ext0") << s.dump();
	EXPECT_EQ(s["attachments"][0]["state"], "ok") << s.dump();
	EXPECT_EQ(netext_cli(n() + "status ext0 --json").code, 0);
	// A new interface under the old name is not netext's.
	ASSERT_EQ(tb_->run(ns_, "ip link add eth0 type veth peer name eth0p"), 0);
	s = status_json(ns_);
	ASSERT_EQ(s["attachments"].size(), 1u) << s.dump();
	EXPECT_EQ(netext_cli(n() + "detach eth0").code, 4);
	EXPECT_EQ(hooks_of(ns_, "ext0"), attached);
	ASSERT_EQ(tb_->run(ns_, "ip link del eth0"), 0);

	// Moved to another namespace: its XDP program goes with it (the kernel drops the
	// interface's qdiscs on the move, and with them the tc filters).
	ASSERT_EQ(tb_->run(ns_, "ip link set ext0 netns " + ns2), 0);
	std::string moved = hooks_of(ns2, "ext0");
	ASSERT_NE(moved.find("prog/xdp"), std::string::npos) << moved;
	s = status_json(ns2);
	ASSERT_EQ(s["attachments"].size(), 1u) << s.dump() << moved;
	EXPECT_EQ(s["attachments"][0]["ifname"], "ext0");
	EXPECT_EQ(s["attachments"][0]["netns"], "netns:" + ns2);
	const bool tc_kept = moved.find("clsact") != std::string::npos;
	EXPECT_EQ(s["attachments"][0]["state"], tc_kept ? "ok" : "detached") << s.dump();
	EXPECT_TRUE(s["attachments"][0]["hooks"][0]["attached"].get<bool>()) << s.dump();
	// Where it was: not there, and not claimed detached.
	s = status_json(ns_);
	ASSERT_EQ(s["attachments"].size(), 1u) << s.dump();
	EXPECT_EQ(s["attachments"][0]["state"], "interface-gone") << s.dump();
	Result r = netext_cli(n() + "detach eth0");
	EXPECT_NE(r.code, 0) << r.out;
	EXPECT_NE(r.err.find(ns2), std::string::npos) << r.err;
	EXPECT_EQ(hooks_of(ns2, "ext0"), moved);
	// Detached where it is: every hook netext made is gone.
	r = netext_cli("-n " + ns2 + " detach ext0");
	EXPECT_EQ(r.code, 0) << r.err;
	EXPECT_EQ(hooks_of(ns2, "ext0"), "xdp: qdisc: ingress: egress: ");
	EXPECT_TRUE(status_json(ns_)["attachments"].empty());
	EXPECT_TRUE(status_json(ns2)["attachments"].empty());
}

// Item 3: SIGINT, SIGTERM or SIGKILL at every step of an attach leaves either the whole
// attachment with its record or nothing; the next status, detach and attach work.
// NETEXT_TEST_PAUSE_AT=<step> stops netext at that step for the signal.
TEST_F(Integrity, SignalAtEveryAttachStepLeavesAllOrNothing)
{
	const std::string nothing = hooks_of(ns_, "eth0");
	ASSERT_EQ(nothing, "xdp: qdisc: ingress: egress: ");
	const char *steps[] = {"locked",    "intent", "load", "clsact", "tc-ingress",
			       "tc-egress", "tc",     "pin",  "commit"};
	int round = 0;
	for (const char *step : steps) {
		for (int sig : {SIGINT, SIGTERM, SIGKILL}) {
			SCOPED_TRACE(std::string("step ") + step + ", signal " + sigabbrev_np(sig));
			Spawned p;
			spawn(p, n() + "attach eth0 counter",
			      {std::string("NETEXT_TEST_PAUSE_AT=") + step});
			char state = wait_stopped_or_exited(p.pid);
			EXPECT_EQ(state, 'T')
				<< "netext never paused at " << step << ": " << p.err();
			kill(p.pid, sig);
			kill(p.pid, SIGCONT);
			int code = p.wait_code();
			EXPECT_NE(code, 0) << p.err();
			json s = status_json(ns_);
			std::string hooks = hooks_of(ns_, "eth0");
			if (sig != SIGKILL) {
				// rolled back before exit
				EXPECT_NE(p.err().find("interrupted by SIG"), std::string::npos)
					<< p.err();
				EXPECT_EQ(hooks, nothing);
				EXPECT_TRUE(s["attachments"].empty()) << s.dump();
			} else if (hooks == nothing) {
				// nothing attached: at most an interrupted record
				for (const json &a : s["attachments"])
					EXPECT_EQ(a["state"], "interrupted") << s.dump();
			} else {
				// something attached: it is on record, whole or interrupted
				ASSERT_EQ(s["attachments"].size(), 1u) << hooks << s.dump();
				std::string st = s["attachments"][0]["state"];
				EXPECT_TRUE(st == "ok" || st == "interrupted") << s.dump();
				if (st == "ok") {
					EXPECT_EQ(s["attachments"][0]["hooks"].size(), 3u);
				}
			}
			// The next command: alternately attach (rolls back what was left, attaches)
			// and detach (rolls back or detaches).
			if (round++ % 2 == 0) {
				Result r = netext_cli(n() + "attach eth0 counter");
				if (r.code == 5) { // it had been committed before the kill
					EXPECT_EQ(std::string(step), "commit") << r.err;
				} else {
					EXPECT_EQ(r.code, 0) << r.err;
				}
				s = status_json(ns_);
				ASSERT_EQ(s["attachments"].size(), 1u) << s.dump();
				EXPECT_EQ(s["attachments"][0]["state"], "ok") << s.dump();
			}
			Result r = netext_cli(n() + "detach eth0");
			if (r.code != 0) {
				EXPECT_EQ(r.code, 4) << r.err; // nothing was left to detach
			}
			EXPECT_EQ(hooks_of(ns_, "eth0"), nothing);
			EXPECT_TRUE(status_json(ns_)["attachments"].empty());
			if (::testing::Test::HasFailure())
				return;
		}
	}
}

// Item 5: two attaches of the same tc app on one interface at once: exactly one wins, the
// other fails naming the conflict, and the winner's filter and pins are intact.
TEST_F(Integrity, ConcurrentAttachesOfOneTcAppOneWins)
{
	const std::string nothing = hooks_of(ns_, "eth0");
	for (int round = 0; round < 8; round++) {
		SCOPED_TRACE("round " + std::to_string(round));
		Spawned a, b;
		spawn(a, n() + "attach eth0 " NETEXT_TC_ONLY_OBJECT);
		spawn(b, n() + "attach eth0 " NETEXT_TC_ONLY_OBJECT);
		int ca = a.wait_code(), cb = b.wait_code();
		EXPECT_TRUE((ca == 0) != (cb == 0)) << ca << " " << a.err() << "\n"
						    << cb << " " << b.err();
		const std::string loser = ca == 0 ? b.err() : a.err();
		EXPECT_EQ(ca == 0 ? cb : ca, 5) << loser;
		EXPECT_NE(loser.find("already attached"), std::string::npos) << loser;
		json s = status_json(ns_);
		ASSERT_EQ(s["attachments"].size(), 1u) << s.dump();
		const json &att = s["attachments"][0];
		EXPECT_EQ(att["state"], "ok") << s.dump();
		std::string pins;
		shell("ls " + att["pin_dir"].get<std::string>(), &pins);
		EXPECT_NE(pins.find("state"), std::string::npos) << pins;
		EXPECT_NE(pins.find("seen"), std::string::npos) << pins;
		std::string filters;
		shell("tc -n " + ns_ + " filter show dev eth0 ingress", &filters);
		EXPECT_NE(
			filters.find("id " + std::to_string(att["hooks"][0]["prog_id"].get<int>())),
			std::string::npos)
			<< filters;
		EXPECT_EQ(netext_cli(n() + "map eth0 tc_only lookup seen 0").code, 0);
		ASSERT_EQ(netext_cli(n() + "detach eth0").code, 0);
		EXPECT_EQ(hooks_of(ns_, "eth0"), nothing);
		if (::testing::Test::HasFailure())
			return;
	}
}

// Item 6: programs removed behind netext's back (ip link set ... xdp off, tc qdisc del ...
// clsact): status says so from the kernel, with the command that fixes it; detach then
// removes the record, and the app attaches again.
TEST_F(Integrity, StatusSeesProgramsRemovedBehindItsBack)
{
	ASSERT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	ASSERT_EQ(status_json(ns_)["attachments"][0]["state"], "ok");
	ASSERT_EQ(tb_->run(ns_, "ip link set dev eth0 xdp off"), 0);
	json s = status_json(ns_);
	ASSERT_EQ(s["attachments"].size(), 1u);
	const json &a = s["attachments"][0];
	EXPECT_EQ(a["state"], "detached") << s.dump();
	EXPECT_FALSE(a["live"].get<bool>());
	for (const json &h : a["hooks"])
		EXPECT_EQ(h["attached"].get<bool>(), h["hook"] != "xdp") << h;
	EXPECT_NE(a["fix"].get<std::string>().find("detach eth0 counter"), std::string::npos) << a;
	Result r = netext_cli(n() + "status");
	EXPECT_NE(r.out.find("detached"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("fix:"), std::string::npos) << r.out;

	ASSERT_EQ(tb_->run(ns_, "tc qdisc del dev eth0 clsact"), 0);
	s = status_json(ns_);
	for (const json &h : s["attachments"][0]["hooks"])
		EXPECT_FALSE(h["attached"].get<bool>()) << h;
	EXPECT_EQ(s["attachments"][0]["state"], "detached");

	EXPECT_EQ(netext_cli(n() + "detach eth0").code, 0);
	EXPECT_TRUE(status_json(ns_)["attachments"].empty());
	EXPECT_EQ(netext_cli(n() + "attach eth0 counter").code, 0);
	EXPECT_EQ(status_json(ns_)["attachments"][0]["state"], "ok");
}

// Item 7: detach on a read-only bpffs (the filesystem remounted read-only, or a read-only
// mount of it) exits non-zero saying why, and keeps the programs, the record and the pins:
// status still says ok.
TEST_F(Integrity, DetachOnReadOnlyBpffsChangesNothing)
{
	for (const char *ro : {"remount,ro", "remount,bind,ro"}) {
		SCOPED_TRACE(ro);
		std::string rw = ro;
		rw.replace(rw.size() - 2, 2, "rw");
		const std::string dir = "/tmp/netext-robpffs-" + std::to_string(getpid());
		const std::string env = "NETEXT_BPFFS=" + dir + " ";
		const std::string cli = env + cli_path() + " -n " + ns_ + " ";
		// All in one private mount namespace: the bpffs goes with it.
		std::string script = "set -e; mkdir -p " + dir + "; mount -t bpf bpf " + dir +
				     "; " + cli + "attach eth0 counter >/dev/null; " +
				     (std::string(ro) == "remount,ro"
					      ? ""
					      : "mount --bind " + dir + " " + dir + "; ") +
				     "mount -o " + ro + " " + dir + "; set +e; " + cli +
				     "detach eth0; echo \"rc=$?\"; " + "ls " + dir +
				     "/netext/netns:" + ns_ +
				     "/eth0/counter | tr \"\\n\" \" \"; echo; " + "ip -n " + ns_ +
				     " -d link show eth0 | grep -c prog/xdp; " + cli +
				     "status --json | tr -d \" \\n\"; echo; mount -o " + rw + " " +
				     dir + "; " + cli + "detach eth0 >/dev/null; echo \"rc2=$?\"";
		std::string out;
		shell("unshare -m --propagation private sh -c '" + script + "' 2>&1", &out);
		EXPECT_NE(out.find("rc=1"), std::string::npos) << out;
		EXPECT_NE(out.find("read-only"), std::string::npos) << out;
		EXPECT_NE(out.find("nothing was detached"), std::string::npos) << out;
		EXPECT_NE(out.find("state stats"), std::string::npos) << "pins removed: " << out;
		EXPECT_NE(out.find("\n1\n"), std::string::npos) << "XDP removed: " << out;
		EXPECT_NE(out.find("\"state\":\"ok\""), std::string::npos) << out;
		EXPECT_NE(out.find("rc2=0"), std::string::npos) << out;
		EXPECT_EQ(hooks_of(ns_, "eth0"), "xdp: qdisc: ingress: egress: ");
		shell("rmdir " + dir);
	}
}

} // namespace
