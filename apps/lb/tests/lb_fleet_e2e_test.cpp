// A fleet of LBs behind ECMP, end to end: a client reaches the VIP through a router whose
// multipath route spreads flows over three LBs by their layer-4 hash
// (net.ipv4.fib_multipath_hash_policy=1). Every LB is configured by `netext lb eth0 apply`
// with the same file; the LBs encapsulate toward the backends, which decapsulate and answer
// the client directly. The client holds many long-lived TCP connections through:
//   (a) one LB leaves the ECMP group: its flows (and some others: Linux rehashes the group)
//       reach LBs that never saw them, which must pick the same backend: 0 broken;
//   (b) a backend is added on every LB with `apply`: established flows keep their backend
//       through their LB's connection table; the broken count must equal what the tables
//       predict (connections whose Maglev entry moved and whose LB holds no entry for them).
//
//   client 198.18.2.1 -- router 198.18.2.254 | 198.18.0.254 --+-- br0 (switch namespace)
//   lb1..lb3 198.18.0.2..4, backends b1..b4 198.18.0.11..14 ---+   VIP 198.18.1.10 on bN's lo
#include <netext/loader/netns.hpp>

#include <arpa/inet.h>
#include <atomic>
#include <bpf/bpf.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <gtest/gtest.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <map>
#include <memory>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "lb.hpp" // the maps' layout and the flow hash
#include "lb_e2e_backend.hpp"
#include "lb_e2e_runs.hpp"
#include "lb_e2e_sockets.hpp"
#include "require_root.hpp"
#include "testbed.hpp"

using netext::loader::NetnsScope;
using netext::testing::shell;

namespace {

constexpr std::string_view kPrefix = "nxfl"; // namespaces nxfl<pid>-<role>
constexpr const char *kVip = "198.18.1.10";
constexpr const char *kService = "198.18.1.10:80/tcp";
constexpr const char *kClient = "198.18.2.1";
constexpr int kConnections = 200;
constexpr int kLbs = 3;
const std::vector<std::string> kRoles = {"client", "router", "sw", "lb1", "lb2",
					 "lb3",	   "b1",     "b2", "b3",  "b4"};

std::string lb_ip(int i)
{
	return "198.18.0." + std::to_string(1 + i);
} // lb1: .2
std::string backend_ip(int i)
{
	return "198.18.0." + std::to_string(10 + i);
} // b1: .11

// ---- small socket helpers ------------------------------------------------------------------

using netext::testing::lb_e2e::check;
using netext::testing::lb_e2e::Fd;

sockaddr_in endpoint(const std::string &ip, uint16_t port)
{
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
	return a;
}

// ---- a backend: decapsulates (lb_e2e_backend.hpp) and answers each request with its name --

class Backend : netext::testing::lb_e2e::BackendThread {
public:
	Backend(std::string ns, std::string name) : ns_(std::move(ns)), name_(std::move(name))
	{
		start(name_, [this](std::promise<std::string> &ready) { run(ready); });
	}
	~Backend() override { stop(); }

private:
	void run(std::promise<std::string> &ready)
	{
		Fd listener;
		std::unique_ptr<NetnsScope> in;
		try {
			in = std::make_unique<NetnsScope>(ns_);
			decap_.setup();
			listener = Fd(check(
				socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
				"socket"));
			int one = 1;
			setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			sockaddr_in at = endpoint(kVip, 80);
			check(bind(listener.get(), reinterpret_cast<sockaddr *>(&at), sizeof(at)),
			      "bind");
			check(listen(listener.get(), 512), "listen");
		} catch (const std::exception &e) {
			ready.set_value(e.what());
			return;
		}
		ready.set_value("");
		serve(listener);
	}

	void serve(Fd &listener)
	{
		const std::string answer = name_ + "\n";
		std::vector<Fd> conns;
		std::vector<uint8_t> buf(65536);
		while (!stopping()) {
			std::vector<pollfd> pfds = {{decap_.raw4(), POLLIN, 0},
						    {decap_.raw6(), POLLIN, 0},
						    {listener.get(), POLLIN, 0}};
			for (const Fd &c : conns)
				pfds.push_back({c.get(), POLLIN, 0});
			if (poll(pfds.data(), pfds.size(), 50) <= 0)
				continue;
			decap_.drain(buf);
			for (int c; (c = accept4(listener.get(), nullptr, nullptr,
						 SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
				send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
				conns.emplace_back(c);
			}
			for (std::size_t i = 3; i < pfds.size(); i++) {
				if (pfds[i].revents == 0)
					continue;
				ssize_t n = recv(pfds[i].fd, buf.data(), buf.size(), MSG_DONTWAIT);
				if (n > 0)
					send(pfds[i].fd, answer.data(), answer.size(),
					     MSG_NOSIGNAL);
				else if (n == 0 || errno != EAGAIN)
					std::erase_if(conns, [&](const Fd &c) {
						return c.get() == pfds[i].fd;
					});
			}
		}
	}

	std::string ns_, name_;
	netext::testing::lb_e2e::Decapsulator decap_;
};

// ---- the client's connections --------------------------------------------------------------

struct Connection {
	Fd fd;
	uint16_t sport = 0;
	std::string backend; // who answered the connection first
	std::string why;     // why it is broken ("" while it works)
};

// Sends a request on every working connection at once and waits (at most `budget`) for the
// answers: a connection whose answer does not come, comes from another backend, or whose
// connection was reset, is broken. Returns how many broke in this round.
int exercise(std::vector<Connection> &conns, std::chrono::milliseconds budget)
{
	std::map<int, std::size_t> waiting; // fd -> connection
	std::map<int, std::string> got;
	for (std::size_t i = 0; i < conns.size(); i++) {
		Connection &c = conns[i];
		if (!c.why.empty())
			continue;
		if (send(c.fd.get(), "again\n", 6, MSG_NOSIGNAL) != 6) {
			c.why = std::string("send: ") + std::strerror(errno);
			continue;
		}
		waiting[c.fd.get()] = i;
	}
	int broke = 0;
	auto deadline = std::chrono::steady_clock::now() + budget;
	while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
		std::vector<pollfd> pfds;
		for (const auto &[fd, i] : waiting)
			pfds.push_back({fd, POLLIN, 0});
		if (poll(pfds.data(), pfds.size(), 50) <= 0)
			continue;
		for (const pollfd &p : pfds) {
			if (p.revents == 0)
				continue;
			Connection &c = conns[waiting[p.fd]];
			char buf[64];
			ssize_t n = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n < 0 && errno == EAGAIN)
				continue;
			if (n <= 0) {
				c.why = n == 0 ? "closed by the far end"
					       : std::string("recv: ") + std::strerror(errno);
			} else {
				got[p.fd].append(buf, static_cast<std::size_t>(n));
				std::size_t nl = got[p.fd].find('\n');
				if (nl == std::string::npos)
					continue;
				std::string who = got[p.fd].substr(0, nl);
				if (who != c.backend)
					c.why = "answered by " + who + ", not " + c.backend;
			}
			broke += !c.why.empty();
			waiting.erase(p.fd);
		}
	}
	for (const auto &[fd, i] : waiting) {
		conns[i].why = "no answer";
		broke++;
	}
	return broke;
}

// ---- an LB's maps, read through its pins ------------------------------------------------

struct LbTables {
	std::map<uint16_t, std::string> conns; // client port -> the backend its entry names
	std::map<uint16_t, netext::lb::FlowKey> keys;
	std::map<uint32_t, std::string> backend_of; // id -> address (non-free slots)
	uint32_t vip_index = 0;
};

std::string pin(const std::string &ns, const std::string &map)
{
	return "/sys/fs/bpf/netext/netns:" + ns + "/eth0/lb/" + map;
}

LbTables read_tables(const std::string &ns)
{
	namespace lb = netext::lb;
	LbTables t;
	Fd backends(bpf_obj_get(pin(ns, "lb_backends").c_str()));
	Fd vips(bpf_obj_get(pin(ns, "lb_vips").c_str()));
	Fd conns(bpf_obj_get(pin(ns, "lb_conns").c_str()));
	if (backends.get() < 0 || vips.get() < 0 || conns.get() < 0)
		throw std::runtime_error("cannot open the lb's pinned maps in " + ns + ": " +
					 std::strerror(errno));
	for (uint32_t i = 0; i < lb::kMaxBackends; i++) {
		lb::Backend b{};
		if (bpf_map_lookup_elem(backends.get(), &i, &b) == 0 && b.state != lb::Free) {
			char text[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &b.addr, text, sizeof(text));
			t.backend_of[i + 1] = text;
		}
	}
	lb::VipKey vk{};
	in_addr vip{};
	inet_pton(AF_INET, kVip, &vip);
	vk.addr.get<0>() = vip.s_addr;
	vk.port = netext::be16::from_host(80);
	vk.proto = IPPROTO_TCP;
	vk.family = lb::Ipv4;
	lb::Vip v{};
	if (bpf_map_lookup_elem(vips.get(), &vk, &v) != 0)
		throw std::runtime_error(ns + " has no VIP " + kService);
	t.vip_index = v.index;
	lb::FlowKey key{}, next{};
	const void *prev = nullptr;
	while (bpf_map_get_next_key(conns.get(), prev, &next) == 0) {
		key = next;
		prev = &key;
		lb::Conn c{};
		if (bpf_map_lookup_elem(conns.get(), &key, &c) != 0)
			continue;
		uint16_t port = key.sport.host();
		t.keys[port] = key;
		t.conns[port] = t.backend_of.count(c.backend) ? t.backend_of[c.backend] : "(freed)";
	}
	return t;
}

// The backend an LB's Maglev table names for a flow.
std::string table_choice(const std::string &ns, const LbTables &t, const netext::lb::FlowKey &k)
{
	namespace lb = netext::lb;
	Fd ring(bpf_obj_get(pin(ns, "lb_ring").c_str()));
	uint32_t idx = t.vip_index * lb::kDefaultRingSize + lb::flow_hash(k) % lb::kDefaultRingSize;
	uint32_t id = 0;
	if (ring.get() < 0 || bpf_map_lookup_elem(ring.get(), &idx, &id) != 0)
		throw std::runtime_error("cannot read " + ns + "'s lb_ring");
	auto it = t.backend_of.find(id);
	return it == t.backend_of.end() ? "-" : it->second;
}

// ---- the fixture --------------------------------------------------------------------------

void remove_run(const std::string &prefix)
{
	for (int i = 1; i <= kLbs; i++)
		netext::testing::capture(std::string(NETEXT_CLI) + " -n " + prefix + "lb" +
					 std::to_string(i) + " detach eth0");
	for (const std::string &role : kRoles) {
		shell("ip netns del " + prefix + role + " 2>/dev/null");
		shell("rm -rf /sys/fs/bpf/netext/netns:" + prefix + role);
	}
}

// What runs that were killed left behind (lb_e2e_runs.hpp).
void remove_stale()
{
	netext::testing::lb_e2e::remove_stale_runs(kPrefix, remove_run);
}

class LbFleetE2e : public ::testing::Test {
protected:
	void SetUp() override
	{
		NETEXT_REQUIRE_ROOT();
		remove_stale();
		prefix_ = std::string(kPrefix) + std::to_string(getpid()) + "-";
		created_ = true;
		if (!run_steps(topology()))
			return;
		try {
			for (int i = 1; i <= 4; i++)
				backends_.push_back(std::make_unique<Backend>(
					ns("b" + std::to_string(i)), "b" + std::to_string(i)));
		} catch (const std::exception &e) {
			FAIL() << "setup: " << e.what();
		}
		for (int i = 1; i <= kLbs; i++) {
			const std::string n = std::to_string(i);
			// XDP_TX on a veth needs an XDP program on its peer.
			ASSERT_TRUE(run_steps({"ip -n " + ns("sw") + " link set dev sw-lb" + n +
					       " xdpdrv obj " + NETEXT_PASS_OBJECT + " sec xdp"}));
			auto r = cli("-n " + ns("lb" + n) + " attach eth0 lb");
			ASSERT_EQ(r.code, 0) << r.err;
		}
		dir_ = "/tmp/" + prefix_ + "config";
		ASSERT_EQ(shell("mkdir -p " + dir_), 0);
	}

	void TearDown() override
	{
		backends_.clear();
		if (!dir_.empty())
			shell("rm -rf " + dir_);
		if (created_)
			remove_run(prefix_);
	}

	static netext::testing::Captured cli(const std::string &args)
	{
		return netext::testing::capture(std::string(NETEXT_CLI) + " " + args);
	}

	std::vector<std::string> topology() const
	{
		std::vector<std::string> s;
		for (const std::string &role : kRoles)
			s.push_back("ip netns add " + ns(role));
		const std::string sw = ns("sw"), router = ns("router"), client = ns("client");
		s.push_back("ip -n " + sw + " link add br0 type bridge mcast_snooping 0");
		s.push_back("ip -n " + sw + " link set br0 up");
		// The client's own link to the router.
		s.push_back("ip -n " + client + " link add eth0 type veth peer name c0 netns " +
			    router);
		s.push_back("ip -n " + client + " addr add " + kClient + "/24 dev eth0");
		s.push_back("ip -n " + router + " addr add 198.18.2.254/24 dev c0");
		// Full checksums from the client: XDP_TX and raw sockets pass a checksum left to
		// offload on unfilled, and the backend would drop the segment.
		s.push_back("ip netns exec " + client + " ethtool -K eth0 tx off");
		// Everyone else on the bridge.
		std::vector<std::pair<std::string, std::string>> on_bridge = {
			{"router", "198.18.0.254"}};
		for (int i = 1; i <= kLbs; i++)
			on_bridge.emplace_back("lb" + std::to_string(i), lb_ip(i));
		for (int i = 1; i <= 4; i++)
			on_bridge.emplace_back("b" + std::to_string(i), backend_ip(i));
		for (const auto &[role, ip] : on_bridge) {
			const std::string n = ns(role);
			const std::string dev = role == "router" ? "eth1" : "eth0";
			s.push_back("ip -n " + sw + " link add sw-" + role +
				    " type veth peer name " + dev + " netns " + n);
			s.push_back("ip -n " + sw + " link set sw-" + role + " master br0 up");
			s.push_back("ip -n " + n + " addr add " + ip + "/24 dev " + dev);
			s.push_back("ip -n " + n + " link set " + dev + " up");
			s.push_back("ip -n " + n + " link set lo up");
			s.push_back("ip netns exec " + n +
				    " sysctl -qw net.ipv4.conf.all.rp_filter=0 "
				    "net.ipv4.conf.default.rp_filter=0 net.ipv4.conf." +
				    dev + ".rp_filter=0");
			if (role[0] == 'b') {
				s.push_back("ip -n " + n + " addr add " + kVip + "/32 dev lo");
				s.push_back("ip netns exec " + n +
					    " sysctl -qw net.ipv4.conf.all.arp_ignore=1 "
					    "net.ipv4.conf.all.arp_announce=2");
				s.push_back("ip -n " + n +
					    " route add 198.18.2.0/24 via 198.18.0.254");
			}
			if (role[0] == 'l') // the LB's stack forwards while a neighbour is unknown
				s.push_back("ip netns exec " + n +
					    " sysctl -qw net.ipv4.ip_forward=1");
		}
		s.push_back("ip -n " + client + " link set eth0 up");
		s.push_back("ip -n " + client + " link set lo up");
		s.push_back("ip -n " + client + " route add default via 198.18.2.254");
		s.push_back("ip -n " + router + " link set c0 up");
		s.push_back("ip -n " + router + " link set lo up");
		s.push_back(
			"ip netns exec " + router +
			" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1 "
			"net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.c0.rp_filter=0");
		s.push_back("ip -n " + router + " route add " + kVip + "/32" + ecmp_nexthops(kLbs));
		return s;
	}

	// The multipath route's nexthops: the first n LBs.
	static std::string ecmp_nexthops(int n)
	{
		std::string s;
		for (int i = 1; i <= n; i++)
			s += " nexthop via " + lb_ip(i) + " dev eth1";
		return s;
	}

	bool run_steps(const std::vector<std::string> &steps) const
	{
		for (const std::string &step : steps) {
			std::string out;
			if (shell(step, &out) != 0) {
				ADD_FAILURE() << "'" << step << "' failed: " << out;
				return false;
			}
		}
		return true;
	}

	[[nodiscard]] std::string ns(const std::string &role) const { return prefix_ + role; }

	// Writes the configuration with these backends and applies it on every LB.
	void apply_everywhere(const std::vector<int> &backends, const std::string &name)
	{
		std::string text =
			std::string("{\"vips\": [{\"vip\": \"") + kService + "\", \"backends\": [";
		for (std::size_t i = 0; i < backends.size(); i++)
			text += std::string(i ? ", " : "") + "{\"address\": \"" +
				backend_ip(backends[i]) + "\"}";
		text += "]}]}\n";
		const std::string file = dir_ + "/" + name + ".json";
		std::ofstream(file) << text;
		for (int i = 1; i <= kLbs; i++) {
			auto r = cli("-n " + ns("lb" + std::to_string(i)) + " lb eth0 apply " +
				     file);
			EXPECT_EQ(r.code, 0) << r.err;
			std::printf("lb%d: %s", i, r.out.c_str());
			// Once more: nothing to change.
			r = cli("-n " + ns("lb" + std::to_string(i)) + " lb eth0 apply " + file);
			EXPECT_EQ(r.code, 0) << r.err;
			EXPECT_TRUE(r.out.starts_with("no changes")) << r.out;
		}
	}

	std::string prefix_, dir_;
	bool created_ = false;
	std::vector<std::unique_ptr<Backend>> backends_;
};

// The LB a connection's entry is on (the fresh tables of the first round hold each flow once).
std::map<uint16_t, int> lb_of_flows(const std::vector<LbTables> &tables)
{
	std::map<uint16_t, int> out;
	for (int i = 0; i < static_cast<int>(tables.size()); i++)
		for (const auto &[port, backend] : tables[static_cast<std::size_t>(i)].conns)
			out[port] = i + 1;
	return out;
}

} // namespace

TEST_F(LbFleetE2e, ConnectionsSurviveAnLbLeavingEcmpAndABackendJoining)
{
	apply_everywhere({1, 2, 3}, "three");
	// Every LB exports the same configuration.
	std::string first;
	for (int i = 1; i <= kLbs; i++) {
		auto r = cli("-n " + ns("lb" + std::to_string(i)) + " lb eth0 export");
		ASSERT_EQ(r.code, 0) << r.err;
		if (i == 1)
			first = r.out;
		EXPECT_EQ(r.out, first) << "lb" << i;
	}

	// The client's long-lived connections, each answered once by its backend.
	std::vector<Connection> conns;
	{
		NetnsScope in(ns("client"));
		sockaddr_in to = endpoint(kVip, 80);
		for (int i = 0; i < kConnections; i++) {
			Connection c;
			c.fd = Fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
			timeval tv{2, 0};
			setsockopt(c.fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			setsockopt(c.fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
			if (connect(c.fd.get(), reinterpret_cast<sockaddr *>(&to), sizeof(to)) !=
			    0) {
				c.why = std::string("connect: ") + std::strerror(errno);
			} else {
				char buf[64] = {};
				ssize_t n = recv(c.fd.get(), buf, sizeof(buf) - 1, 0);
				std::string line(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
				if (line.find('\n') == std::string::npos)
					c.why = "connected, no answer";
				c.backend = line.substr(0, line.find('\n'));
			}
			sockaddr_in me{};
			socklen_t len = sizeof(me);
			getsockname(c.fd.get(), reinterpret_cast<sockaddr *>(&me), &len);
			c.sport = ntohs(me.sin_port);
			conns.push_back(std::move(c));
			if (i >= 5 && conns.size() == static_cast<std::size_t>(i + 1) &&
			    std::count_if(conns.begin(), conns.end(),
					  [](const Connection &x) { return !x.why.empty(); }) > 5)
				break; // the data path is broken: the test has failed already
		}
	}
	std::map<std::string, int> by_backend;
	int failed = 0;
	for (const Connection &c : conns) {
		by_backend[c.backend]++;
		failed += !c.why.empty();
	}
	ASSERT_EQ(failed, 0) << "connections that never worked; first: " << conns[0].why;
	ASSERT_EQ(conns.size(), static_cast<std::size_t>(kConnections));
	ASSERT_EQ(exercise(conns, std::chrono::seconds(5)), 0);

	std::vector<LbTables> tables;
	for (int i = 1; i <= kLbs; i++)
		tables.push_back(read_tables(ns("lb" + std::to_string(i))));
	std::map<uint16_t, int> lb_of = lb_of_flows(tables);
	std::map<int, int> per_lb;
	for (const Connection &c : conns)
		per_lb[lb_of.count(c.sport) ? lb_of[c.sport] : 0]++;
	std::printf("fleet: %d connections; by LB: lb1=%d lb2=%d lb3=%d (none: %d); by backend: "
		    "b1=%d b2=%d b3=%d\n",
		    kConnections, per_lb[1], per_lb[2], per_lb[3], per_lb[0], by_backend["b1"],
		    by_backend["b2"], by_backend["b3"]);
	ASSERT_EQ(per_lb[0], 0) << "connections no LB has seen";
	for (int i = 1; i <= kLbs; i++)
		ASSERT_GT(per_lb[i], 0) << "ECMP sent no connection to lb" << i;

	// (a) lb3 leaves the ECMP group.
	ASSERT_TRUE(run_steps({"ip -n " + ns("router") + " route replace " + kVip + "/32" +
			       ecmp_nexthops(kLbs - 1)}));
	int broken_a = exercise(conns, std::chrono::seconds(5));
	broken_a += exercise(conns, std::chrono::seconds(5)); // and once more, settled
	std::vector<LbTables> after_a;
	for (int i = 1; i < kLbs; i++)
		after_a.push_back(read_tables(ns("lb" + std::to_string(i))));
	int moved_lb = 0; // connections lb1 or lb2 met for the first time
	for (const Connection &c : conns) {
		bool met = false;
		for (std::size_t i = 0; i < kLbs - 1; i++)
			met |= after_a[i].conns.count(c.sport) && !tables[i].conns.count(c.sport);
		moved_lb += met;
	}
	std::printf("fleet (a) lb3 left the ECMP group: %d connections reached an LB that had not "
		    "seen them; broken %d (expected 0)\n",
		    moved_lb, broken_a);
	EXPECT_EQ(broken_a, 0);
	EXPECT_GE(moved_lb, per_lb[3]) << "lb3's connections must have moved";
	for (const Connection &c : conns)
		EXPECT_EQ(c.why, "") << "port " << c.sport << " (" << c.backend << ")";

	// (b) b4 joins on every LB. The expectation from the tables: a connection breaks if its
	// Maglev entry now names another backend and no LB in the group holds an entry for it.
	std::map<uint16_t, std::string> table_before;
	for (const Connection &c : conns)
		table_before[c.sport] =
			table_choice(ns("lb1"), after_a[0],
				     after_a[0].keys.count(c.sport) ? after_a[0].keys[c.sport]
								    : after_a[1].keys[c.sport]);
	apply_everywhere({1, 2, 3, 4}, "four");
	std::vector<LbTables> after_b;
	for (int i = 1; i <= kLbs; i++)
		after_b.push_back(read_tables(ns("lb" + std::to_string(i))));
	int entry_moved = 0, expected_b = 0, disagree = 0;
	for (const Connection &c : conns) {
		const auto &key = after_a[0].keys.count(c.sport) ? after_a[0].keys.at(c.sport)
								 : after_a[1].keys.at(c.sport);
		std::string now = table_choice(ns("lb1"), after_b[0], key);
		for (int i = 1; i < kLbs; i++) // every LB's table agrees
			disagree += table_choice(ns("lb" + std::to_string(i + 1)),
						 after_b[static_cast<std::size_t>(i)], key) != now;
		bool moved = now != table_before[c.sport];
		entry_moved += moved;
		bool kept = false; // an LB in the group holds the connection with its backend
		for (int i = 0; i < kLbs - 1; i++) {
			const auto &conns_i = after_b[static_cast<std::size_t>(i)].conns;
			kept |= conns_i.count(c.sport) &&
				conns_i.at(c.sport) == backend_ip(c.backend.back() - '0');
		}
		expected_b += moved && !kept;
	}
	int broken_b = exercise(conns, std::chrono::seconds(5));
	broken_b += exercise(conns, std::chrono::seconds(5));
	std::printf("fleet (b) b4 added by apply on every LB: %d of %d connections' Maglev entry "
		    "moved, %d expected broken (moved and held by no LB), broken %d\n",
		    entry_moved, kConnections, expected_b, broken_b);
	EXPECT_EQ(disagree, 0) << "the LBs' tables differ";
	EXPECT_GT(entry_moved, 0) << "adding a backend moved no entry: the test shows nothing";
	EXPECT_EQ(broken_b, expected_b);
	for (const Connection &c : conns)
		EXPECT_EQ(c.why, "") << "port " << c.sport << " (" << c.backend << ")";

	// New connections reach b4 too.
	std::map<std::string, int> fresh;
	{
		NetnsScope in(ns("client"));
		sockaddr_in to = endpoint(kVip, 80);
		for (int i = 0; i < 40; i++) {
			Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
			timeval tv{2, 0};
			setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			char buf[64] = {};
			if (connect(fd.get(), reinterpret_cast<sockaddr *>(&to), sizeof(to)) == 0 &&
			    recv(fd.get(), buf, sizeof(buf) - 1, 0) > 0)
				fresh[std::string(buf).substr(0, std::string(buf).find('\n'))]++;
			else
				fresh["(none)"]++;
		}
	}
	std::printf("fleet: 40 new connections after (b): b1=%d b2=%d b3=%d b4=%d none=%d\n",
		    fresh["b1"], fresh["b2"], fresh["b3"], fresh["b4"], fresh["(none)"]);
	EXPECT_GT(fresh["b4"], 0);
	EXPECT_EQ(fresh["(none)"], 0);
}
