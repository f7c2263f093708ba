// The LB end to end: a client, the LB and three backends, each in its own network namespace,
// joined by a bridge in a switch namespace. The client reaches the VIPs through the LB, which
// encapsulates toward a backend; the backend decapsulates and answers the client directly
// (direct server return). Driven through the CLI like a user would: attach, `netext lb`,
// stats.
//
//   client 198.18.0.1 2001:db8::1 --+
//   lb     198.18.0.2 2001:db8::2 --+-- br0 (switch namespace)
//   bN     198.18.0.1N 2001:db8::1N -+   VIPs 198.18.1.10 and 2001:db8:1::10 on each bN's lo
//
// The backends decapsulate with the kernel's fallback tunnel devices (tunl0, ip6tnl0) where
// the kernel has them (Debian's: the ipip and ip6_tunnel modules; the guest run loads them);
// where it has not (this machine's 6.18 is built without), in this process instead: raw
// sockets for IP-in-IP and IPv6-in-IPv6, the inner packet written to a TUN device.
#include <netext/loader/netns.hpp>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
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
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "lb_e2e_backend.hpp"
#include "lb_e2e_runs.hpp"
#include "lb_e2e_sockets.hpp"
#include "require_root.hpp"
#include "testbed.hpp"

using json = nlohmann::json;
using netext::loader::NetnsScope;
using netext::testing::shell;

namespace {

constexpr std::string_view kPrefix = "nxlb"; // namespaces nxlb<pid>-<role>
constexpr const char *kVip4 = "198.18.1.10";
constexpr const char *kVip6 = "2001:db8:1::10";
constexpr const char *kWeb4 = "198.18.1.10:80/tcp";
constexpr const char *kDns4 = "198.18.1.10:53/udp";
constexpr const char *kWeb6 = "[2001:db8:1::10]:80/tcp";

struct Host {
	const char *role, *ip4, *ip6;
};
constexpr Host kHosts[] = {
	{"client", "198.18.0.1", "2001:db8::1"}, {"lb", "198.18.0.2", "2001:db8::2"},
	{"b1", "198.18.0.11", "2001:db8::11"},	 {"b2", "198.18.0.12", "2001:db8::12"},
	{"b3", "198.18.0.13", "2001:db8::13"},
};
constexpr const char *kRoles[] = {"client", "lb", "b1", "b2", "b3", "sw"};

const Host &host(const std::string &role)
{
	for (const Host &h : kHosts)
		if (role == h.role)
			return h;
	throw std::logic_error("no host " + role);
}

// ---- the CLI ------------------------------------------------------------------------------

using Result = netext::testing::Captured;

Result netext_cli(const std::string &args)
{
	return netext::testing::capture(NETEXT_CLI " " + args);
}

// Detaches the lb (its pins live on bpffs, not in the namespace) and removes one run's
// namespaces: prefix is nxlb<pid>-.
void remove_run(const std::string &prefix)
{
	netext_cli("-n " + prefix + "lb detach eth0");
	for (const char *role : kRoles) {
		shell("ip netns del " + prefix + role);
		shell("rm -rf /sys/fs/bpf/netext/netns:" + prefix + role);
	}
}

// What runs that were killed left behind (lb_e2e_runs.hpp).
void remove_stale()
{
	netext::testing::lb_e2e::remove_stale_runs(kPrefix, remove_run);
}

// ---- sockets ------------------------------------------------------------------------------

using netext::testing::lb_e2e::check;
using netext::testing::lb_e2e::Fd;

struct Endpoint {
	sockaddr_storage ss{};
	socklen_t len = 0;

	[[nodiscard]] int family() const { return ss.ss_family; }
	[[nodiscard]] const sockaddr *sa() const { return reinterpret_cast<const sockaddr *>(&ss); }
};

Endpoint endpoint(const std::string &ip, uint16_t port)
{
	Endpoint e;
	if (ip.find(':') != std::string::npos) {
		auto *a = reinterpret_cast<sockaddr_in6 *>(&e.ss);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, ip.c_str(), &a->sin6_addr);
		e.len = sizeof(*a);
	} else {
		auto *a = reinterpret_cast<sockaddr_in *>(&e.ss);
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, ip.c_str(), &a->sin_addr);
		e.len = sizeof(*a);
	}
	return e;
}

// A broken data path fails the test instead of hanging it.
void set_timeouts(int fd)
{
	timeval tv{2, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

Fd listen_on(int type, const Endpoint &at, bool nonblocking)
{
	Fd fd(check(socket(at.family(), type | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0),
		    "socket"));
	int one = 1;
	setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (at.family() == AF_INET6)
		setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	set_timeouts(fd.get());
	check(bind(fd.get(), at.sa(), at.len), "bind");
	if (type == SOCK_STREAM)
		check(listen(fd.get(), 256), "listen");
	return fd;
}

// Up to and without the '\n'; "" if none came in time.
std::string read_line(int fd)
{
	std::string line;
	char buf[64];
	while (line.find('\n') == std::string::npos) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return "";
		line.append(buf, static_cast<std::size_t>(n));
	}
	return line.substr(0, line.find('\n'));
}

uint16_t port_of(const sockaddr_storage &ss)
{
	if (ss.ss_family == AF_INET6)
		return ntohs(reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_port);
	return ntohs(reinterpret_cast<const sockaddr_in *>(&ss)->sin_port);
}

// A TCP connection from the client (the calling thread's namespace). A backend answers a
// new connection, and each request on it, with its name.
class TcpFlow {
public:
	explicit TcpFlow(const Endpoint &to)
		: fd_(socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0))
	{
		if (fd_.get() < 0) {
			error_ = std::string("socket: ") + std::strerror(errno);
			return;
		}
		set_timeouts(fd_.get());
		int rc = connect(fd_.get(), to.sa(), to.len);
		int err = errno;
		sockaddr_storage me{}; // the port is bound even if the handshake failed
		socklen_t len = sizeof(me);
		getsockname(fd_.get(), reinterpret_cast<sockaddr *>(&me), &len);
		sport_ = port_of(me);
		if (rc != 0) {
			error_ = std::string("connect: ") + std::strerror(err);
			return;
		}
		first_ = read_line(fd_.get());
		if (first_.empty())
			error_ = "connected, no answer";
	}
	// Why first() is empty.
	[[nodiscard]] const std::string &error() const { return error_; }
	[[nodiscard]] const std::string &first() const { return first_; }
	[[nodiscard]] uint16_t sport() const { return sport_; }
	// Another round on the open connection: who answered it.
	std::string ask()
	{
		if (send(fd_.get(), "again\n", 6, MSG_NOSIGNAL) != 6)
			return "";
		return read_line(fd_.get());
	}

private:
	Fd fd_;
	uint16_t sport_ = 0;
	std::string first_, error_;
};

// One datagram from the client's port sport to `to`: who answered it ("" if none did).
std::string udp_ask(const Endpoint &to, uint16_t sport)
{
	Fd fd(socket(to.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
	if (fd.get() < 0)
		return "";
	set_timeouts(fd.get());
	Endpoint me = endpoint(to.family() == AF_INET6 ? "::" : "0.0.0.0", sport);
	if (bind(fd.get(), me.sa(), me.len) != 0 ||
	    sendto(fd.get(), "who\n", 4, 0, to.sa(), to.len) != 4)
		return "";
	return read_line(fd.get());
}

// Full checksums from the client, as from a wire: veth hands its peer packets whose TCP/UDP
// checksum is left to offload (CHECKSUM_PARTIAL); XDP_TX, and the backends' raw sockets,
// would pass them on unfilled and the backend's stack would drop them.
void disable_tx_checksum(const std::string &ns)
{
	NetnsScope in(ns);
	Fd s(check(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
	ethtool_value off{ETHTOOL_STXCSUM, 0};
	ifreq ifr{};
	std::strncpy(ifr.ifr_name, "eth0", IFNAMSIZ - 1);
	ifr.ifr_data = reinterpret_cast<char *>(&off);
	check(ioctl(s.get(), SIOCETHTOOL, &ifr), "ETHTOOL_STXCSUM eth0");
}

// ---- backends -----------------------------------------------------------------------------

// A backend's data path and servers, in one thread inside its namespace: decapsulation
// (lb_e2e_backend.hpp), TCP on VIP:80 (both families) and UDP on VIP:53 answering with the
// backend's name.
class Backend : netext::testing::lb_e2e::BackendThread {
public:
	Backend(std::string ns, std::string name) : ns_(std::move(ns)), name_(std::move(name))
	{
		start(name_, [this](std::promise<std::string> &ready) { run(ready); });
	}
	~Backend() override { stop(); }

	[[nodiscard]] const std::string &name() const { return name_; }
	// Inner packets handed to the kernel (by tunl0 and ip6tnl0, or by this process).
	[[nodiscard]] uint64_t decapsulated() const { return decap_.decapsulated(ns_); }
	[[nodiscard]] bool kernel_tunnels() const { return decap_.kernel_tunnels(); }
	// Encapsulated packets whose outer source is not the LB's (198.19/16,
	// 2001:db8:0:ffff::/64).
	[[nodiscard]] uint64_t foreign() const { return decap_.foreign(); }

private:
	struct Sockets {
		Fd tcp4, tcp6, udp4;
	};

	void run(std::promise<std::string> &ready)
	{
		Sockets s;
		std::unique_ptr<NetnsScope> in;
		try {
			in = std::make_unique<NetnsScope>(ns_);
			decap_.setup();
			s.tcp4 = listen_on(SOCK_STREAM, endpoint(kVip4, 80), true);
			s.tcp6 = listen_on(SOCK_STREAM, endpoint(kVip6, 80), true);
			s.udp4 = listen_on(SOCK_DGRAM, endpoint(kVip4, 53), true);
		} catch (const std::exception &e) {
			ready.set_value(e.what());
			return;
		}
		ready.set_value("");
		serve(s);
	}

	void serve(Sockets &s)
	{
		const std::string answer = name_ + "\n";
		std::vector<Fd> conns;
		std::vector<uint8_t> buf(65536);
		while (!stopping()) {
			std::vector<pollfd> pfds;
			for (int fd : {decap_.raw4(), decap_.raw6(), s.tcp4.get(), s.tcp6.get(),
				       s.udp4.get()})
				pfds.push_back({fd, POLLIN, 0});
			for (const Fd &c : conns)
				pfds.push_back({c.get(), POLLIN, 0});
			if (poll(pfds.data(), pfds.size(), 50) <= 0)
				continue;
			decap_.drain(buf);
			for (int l : {s.tcp4.get(), s.tcp6.get()})
				for (int c; (c = accept4(l, nullptr, nullptr,
							 SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
					send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
					conns.emplace_back(c);
				}
			for (;;) {
				sockaddr_storage from{};
				socklen_t len = sizeof(from);
				if (recvfrom(s.udp4.get(), buf.data(), buf.size(), MSG_DONTWAIT,
					     reinterpret_cast<sockaddr *>(&from), &len) < 0)
					break;
				sendto(s.udp4.get(), answer.data(), answer.size(), 0,
				       reinterpret_cast<sockaddr *>(&from), len);
			}
			// A request gets the name; the client closing ends the connection.
			for (std::size_t i = 5; i < pfds.size(); i++) {
				if (pfds[i].revents == 0)
					continue;
				ssize_t n = recv(pfds[i].fd, buf.data(), buf.size(), MSG_DONTWAIT);
				if (n > 0) {
					send(pfds[i].fd, answer.data(), answer.size(),
					     MSG_NOSIGNAL);
				} else if (n == 0 || errno != EAGAIN) {
					std::erase_if(conns, [&](const Fd &c) {
						return c.get() == pfds[i].fd;
					});
				}
			}
		}
	}

	std::string ns_, name_;
	netext::testing::lb_e2e::Decapsulator decap_;
};

// A broken data path costs 2 s a flow: loops stop after this many failures (the test has
// failed by then).
constexpr int kGiveUp = 5;

// Who answered how many flows.
struct Tally {
	std::map<std::string, int> by_backend;
	int flows = 0, unanswered = 0;
	std::set<uint16_t> ports;
	std::string failures; // the first few

	void add(const std::string &backend, uint16_t port, const std::string &why = "")
	{
		flows++;
		ports.insert(port);
		if (!backend.empty()) {
			by_backend[backend]++;
			return;
		}
		if (unanswered++ < kGiveUp)
			failures += "\n  flow " + std::to_string(flows) + " from port " +
				    std::to_string(port) + ": " + (why.empty() ? "no answer" : why);
	}
	[[nodiscard]] bool broken() const { return unanswered >= kGiveUp; }
	[[nodiscard]] double share(const std::string &b) const
	{
		auto it = by_backend.find(b);
		return it == by_backend.end() ? 0.0 : static_cast<double>(it->second) / flows;
	}
	[[nodiscard]] std::string str() const
	{
		std::string s = std::to_string(flows) + " flows, " + std::to_string(unanswered) +
				" unanswered, " + std::to_string(ports.size()) + " source ports:";
		for (const auto &[b, n] : by_backend)
			s += " " + b + "=" + std::to_string(n);
		return s + failures;
	}
};

// ---- the fixture --------------------------------------------------------------------------

class LbE2e : public ::testing::Test {
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
			disable_tx_checksum(ns("client"));
			for (const char *b : {"b1", "b2", "b3"})
				backends_.push_back(std::make_unique<Backend>(ns(b), b));
		} catch (const std::exception &e) {
			FAIL() << "setup: " << e.what();
		}
		// XDP_TX on a veth needs an XDP program on its peer.
		if (!run_steps({"ip -n " + ns("sw") + " link set dev sw-lb xdpdrv obj " +
				NETEXT_PASS_OBJECT + " sec xdp"}))
			return;
		// NETEXT_TEST_BACKEND=native: the LB's native module (guest.native_lb_e2e)
		const char *b = std::getenv("NETEXT_TEST_BACKEND");
		bool native = b && std::string(b) == "native";
		Result r = netext_cli("-n " + ns("lb") + " attach eth0 lb" +
				      (native ? " --backend native" : ""));
		ASSERT_EQ(r.code, 0) << r.err;
		attached_ = true;
		if (native) {
			Result st = netext_cli("-n " + ns("lb") + " status eth0 --json");
			ASSERT_NE(st.out.find("\"backend\": \"native\""), std::string::npos)
				<< st.out;
			// qemu's clock runs on while the host is busy: a generous budget
			ASSERT_TRUE(run_steps(
				{"echo 200000 > /sys/module/netext/parameters/watchdog_us"}));
		}
	}

	void TearDown() override
	{
		for (const auto &b : backends_)
			EXPECT_EQ(b->foreign(), 0u) << b->name() << ": outer source not the LB's";
		backends_.clear();
		if (attached_) {
			Result r = netext_cli("-n " + ns("lb") + " detach eth0");
			EXPECT_EQ(r.code, 0) << r.err;
		}
		if (created_)
			remove_run(prefix_);
	}

	std::vector<std::string> topology() const
	{
		const std::string sw = ns("sw");
		std::vector<std::string> steps;
		// No DAD, for the link-local addresses too: while those are tentative the kernel
		// sends no neighbour solicitation, so the LB's stack could not forward the first
		// packets of IPv6 flows, nor a backend answer them.
		for (const char *role : kRoles) {
			steps.push_back("ip netns add " + ns(role));
			steps.push_back("ip netns exec " + ns(role) +
					" sysctl -qw net.ipv6.conf.all.accept_dad=0 "
					"net.ipv6.conf.default.accept_dad=0");
		}
		steps.push_back("ip -n " + sw + " link add br0 type bridge mcast_snooping 0");
		steps.push_back("ip -n " + sw + " link set br0 up");
		for (const Host &h : kHosts) {
			const std::string n = ns(h.role), ex = "ip netns exec " + n + " ";
			steps.push_back("ip -n " + sw + " link add sw-" + h.role +
					" type veth peer name eth0 netns " + n);
			steps.push_back("ip -n " + sw + " link set sw-" + h.role +
					" master br0 up");
			if (h.role[0] == 'b') // dec0, made later, inherits the default
				steps.push_back(ex + "sysctl -qw net.ipv4.conf.all.rp_filter=0 "
						     "net.ipv4.conf.default.rp_filter=0 "
						     "net.ipv4.conf.eth0.rp_filter=0 "
						     "net.ipv4.conf.lo.rp_filter=0 "
						     "net.ipv4.conf.all.arp_ignore=1 "
						     "net.ipv4.conf.all.arp_announce=2");
			steps.push_back("ip -n " + n + " link set lo up");
			steps.push_back("ip -n " + n + " addr add " + h.ip4 + "/24 dev eth0");
			steps.push_back("ip -n " + n + " addr add " + h.ip6 + "/64 dev eth0 nodad");
			steps.push_back("ip -n " + n + " link set eth0 up");
			if (h.role[0] == 'b') {
				steps.push_back("ip -n " + n + " addr add " + kVip4 + "/32 dev lo");
				steps.push_back("ip -n " + n + " addr add " + kVip6 +
						"/128 dev lo nodad");
			}
		}
		const std::string client = ns("client"), lb = ns("lb");
		steps.push_back("ip -n " + client + " route add " + kVip4 + "/32 via " +
				host("lb").ip4);
		steps.push_back("ip -n " + client + " -6 route add " + kVip6 + "/128 via " +
				host("lb").ip6);
		// The LB's kernel forwards what it passes while a neighbour is unresolved.
		steps.push_back("ip netns exec " + lb +
				" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 "
				"net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0");
		return steps;
	}

	bool run_steps(const std::vector<std::string> &steps)
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

	Result lb(const std::string &args) const
	{
		return netext_cli("-n " + ns("lb") + " lb eth0 " + args);
	}
	// `netext lb` that must succeed.
	void lb_ok(const std::string &args) const
	{
		Result r = lb(args);
		EXPECT_EQ(r.code, 0) << "lb eth0 " << args << ": " << r.err;
	}
	json lb_json(const std::string &args) const
	{
		Result r = lb(args + " --json");
		EXPECT_EQ(r.code, 0) << "lb eth0 " << args << ": " << r.err;
		return r.code == 0 ? json::parse(r.out) : json::array();
	}
	// `netext stats eth0 lb`: slot name -> packets.
	std::map<std::string, uint64_t> stats() const
	{
		Result r = netext_cli("-n " + ns("lb") + " stats eth0 lb --json");
		EXPECT_EQ(r.code, 0) << r.err;
		std::map<std::string, uint64_t> out;
		// Named: a range-for over a member of a temporary would dangle.
		json all = r.code == 0 ? json::parse(r.out) : json::object();
		for (const json &row : all["stats"])
			out[row["slot"].get<std::string>()] = row["packets"].get<uint64_t>();
		return out;
	}

	// n new TCP connections to the VIP, each closed once its answer is read.
	Tally tcp_spread(const std::string &vip, int n) const
	{
		Tally t;
		NetnsScope in(ns("client"));
		Endpoint to = endpoint(vip, 80);
		for (int i = 0; i < n && !t.broken(); i++) {
			TcpFlow f(to);
			t.add(f.first(), f.sport(), f.error());
		}
		return t;
	}

	[[nodiscard]] Backend &backend(const std::string &name) const
	{
		for (const auto &b : backends_)
			if (b->name() == name)
				return *b;
		throw std::logic_error("no backend " + name);
	}

	std::string prefix_;
	bool created_ = false, attached_ = false;
	std::vector<std::unique_ptr<Backend>> backends_;
};

} // namespace

TEST_F(LbE2e, TcpIpv4FlowsFollowTheWeights)
{
	lb_ok(std::string("vip add ") + kWeb4);
	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b1").ip4 + " --weight 1");
	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b2").ip4 + " --weight 3");

	Tally t = tcp_spread(kVip4, 300);
	EXPECT_EQ(t.unanswered, 0) << t.str();
	EXPECT_EQ(t.ports.size(), 300u) << t.str();
	EXPECT_EQ(t.by_backend.size(), 2u) << t.str();
	EXPECT_GE(t.share("b2"), 0.65) << t.str();
	EXPECT_LE(t.share("b2"), 0.85) << t.str();

	// Nothing resolved the backends' addresses before: the first packets went through the
	// LB's kernel, the rest straight back out.
	std::map<std::string, uint64_t> st = stats();
	EXPECT_GT(st["transmitted"], 0u);
	EXPECT_GT(st["to_stack"], 0u);
	EXPECT_EQ(st["no_backend"], 0u);
	EXPECT_EQ(st["encap_errors"], 0u);

	json bs = lb_json(std::string("backend list ") + kWeb4);
	ASSERT_EQ(bs.size(), 2u) << bs.dump();
	uint64_t sum = 0;
	for (const json &b : bs) {
		bool first = b["backend"] == host("b1").ip4;
		EXPECT_NEAR(b["share"].get<double>(), first ? 0.25 : 0.75, 0.005) << b.dump();
		EXPECT_EQ(b["weight"], first ? 1 : 3) << b.dump();
		EXPECT_EQ(b["state"], "active") << b.dump();
		uint64_t packets = b["packets"].get<uint64_t>();
		EXPECT_GT(packets, 0u) << b.dump();
		EXPECT_EQ(st["backend#" + std::to_string(b["id"].get<int>())], packets) << b.dump();
		sum += packets;
	}
	// Every balanced packet is counted for its VIP and its backend.
	json vips = lb_json("vip list");
	ASSERT_EQ(vips.size(), 1u) << vips.dump();
	EXPECT_EQ(vips[0]["packets"].get<uint64_t>(), sum) << vips.dump();
	EXPECT_EQ(backend("b3").decapsulated(), 0u);
}

TEST_F(LbE2e, UdpIpv4DatagramsSpreadOverEqualBackends)
{
	lb_ok(std::string("vip add ") + kDns4);
	for (const char *b : {"b1", "b2", "b3"})
		lb_ok(std::string("backend add ") + kDns4 + " " + host(b).ip4);

	Tally t;
	{
		NetnsScope in(ns("client"));
		Endpoint to = endpoint(kVip4, 53);
		for (uint16_t port = 40000; port < 40300 && !t.broken(); port++)
			t.add(udp_ask(to, port), port);
	}
	EXPECT_EQ(t.unanswered, 0) << t.str();
	EXPECT_EQ(t.by_backend.size(), 3u) << t.str();
	for (const char *b : {"b1", "b2", "b3"}) {
		EXPECT_GE(t.share(b), 0.2) << b << ": " << t.str();
		EXPECT_LE(t.share(b), 0.47) << b << ": " << t.str();
	}
}

TEST_F(LbE2e, TcpIpv6FlowsSpreadOverEqualBackends)
{
	lb_ok(std::string("vip add ") + kWeb6);
	lb_ok(std::string("backend add ") + kWeb6 + " " + host("b1").ip6);
	lb_ok(std::string("backend add ") + kWeb6 + " " + host("b2").ip6);

	Tally t = tcp_spread(kVip6, 200);
	EXPECT_EQ(t.unanswered, 0) << t.str();
	EXPECT_EQ(t.ports.size(), 200u) << t.str();
	for (const char *b : {"b1", "b2"}) {
		EXPECT_GE(t.share(b), 0.35) << b << ": " << t.str();
		EXPECT_LE(t.share(b), 0.65) << b << ": " << t.str();
	}
	EXPECT_EQ(backend("b3").decapsulated(), 0u);
}

TEST_F(LbE2e, OpenConnectionsKeepTheirBackendThroughDrainAndAdd)
{
	lb_ok(std::string("vip add ") + kWeb4);
	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b1").ip4);
	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b2").ip4);

	std::vector<std::unique_ptr<TcpFlow>> open;
	Tally before;
	{
		NetnsScope in(ns("client"));
		Endpoint to = endpoint(kVip4, 80);
		for (int i = 0; i < 20 && !before.broken(); i++) {
			open.push_back(std::make_unique<TcpFlow>(to));
			before.add(open.back()->first(), open.back()->sport(),
				   open.back()->error());
		}
	}
	ASSERT_EQ(before.unanswered, 0) << before.str();
	const std::string drained = before.by_backend.count("b1") ? "b1" : "b2";
	const std::string other = drained == "b1" ? "b2" : "b1";

	lb_ok(std::string("backend drain ") + kWeb4 + " " + host(drained).ip4);
	json bs = lb_json(std::string("backend list ") + kWeb4);
	for (const json &b : bs)
		if (b["backend"] == host(drained).ip4) {
			EXPECT_EQ(b["state"], "draining") << b.dump();
			EXPECT_EQ(b["entries"], 0) << b.dump();
		}

	// The sockets are the client namespace's already: no scope needed to use them.
	auto ask_all = [&](const char *when) {
		int wrong = 0;
		for (std::size_t i = 0; i < open.size() && wrong < kGiveUp; i++) {
			std::string got = open[i]->ask();
			wrong += got != open[i]->first();
			EXPECT_EQ(got, open[i]->first()) << "connection " << i << " (port "
							 << open[i]->sport() << ") " << when;
		}
	};
	ask_all("after the drain");
	Tally fresh = tcp_spread(kVip4, 50);
	EXPECT_EQ(fresh.unanswered, 0) << fresh.str();
	EXPECT_EQ(fresh.by_backend.count(drained), 0u) << drained << " drained: " << fresh.str();
	EXPECT_EQ(fresh.share(other), 1.0) << fresh.str();

	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b3").ip4);
	ask_all("after b3 was added");
	ask_all("once more");
}

TEST_F(LbE2e, TrafficNotForAVipReachesTheLbsOwnStack)
{
	lb_ok(std::string("vip add ") + kWeb4);
	lb_ok(std::string("vip add ") + kWeb6);
	lb_ok(std::string("backend add ") + kWeb4 + " " + host("b1").ip4);
	lb_ok(std::string("backend add ") + kWeb6 + " " + host("b1").ip6);
	const std::string client = "ip netns exec " + ns("client") + " ";
	EXPECT_EQ(shell(client + "ping -c 3 -i 0.2 -W 2 " + host("lb").ip4), 0);
	EXPECT_EQ(shell(client + "ping -6 -c 3 -i 0.2 -W 2 " + host("lb").ip6), 0);

	// The VIPs' port on the LB's own address: not a VIP, so the LB's stack answers.
	for (const char *ip : {host("lb").ip4, host("lb").ip6}) {
		Fd server;
		{
			NetnsScope in(ns("lb"));
			server = listen_on(SOCK_STREAM, endpoint(ip, 80), false);
		}
		NetnsScope in(ns("client"));
		Endpoint to = endpoint(ip, 80);
		Fd c(socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
		set_timeouts(c.get());
		ASSERT_EQ(connect(c.get(), to.sa(), to.len), 0)
			<< ip << ": " << std::strerror(errno);
		Fd accepted(accept4(server.get(), nullptr, nullptr, SOCK_CLOEXEC));
		ASSERT_GE(accepted.get(), 0) << ip << ": " << std::strerror(errno);
		ASSERT_EQ(send(accepted.get(), "lb\n", 3, MSG_NOSIGNAL), 3);
		EXPECT_EQ(read_line(c.get()), "lb") << ip;
	}
	EXPECT_GT(stats()["non_vip"], 0u);
	EXPECT_EQ(backend("b1").decapsulated(), 0u);
	for (const char *vip : {kWeb4, kWeb6})
		for (const json &b : lb_json(std::string("backend list ") + vip))
			EXPECT_EQ(b["packets"], 0) << vip << ": " << b.dump();
}

TEST_F(LbE2e, BadCliInputFailsWithItsExitCode)
{
	Result r = lb("vip add 198.18.1.10");
	EXPECT_EQ(r.code, 2) << r.err;
	EXPECT_NE(r.err.find("no port"), std::string::npos) << r.err;

	r = lb(std::string("backend add 198.18.1.99:80/tcp ") + host("b1").ip4);
	EXPECT_EQ(r.code, 4) << r.err;
	EXPECT_NE(r.err.find("no VIP 198.18.1.99:80/tcp"), std::string::npos) << r.err;

	r = netext_cli("-n " + ns("client") + " lb eth0 vip list");
	EXPECT_EQ(r.code, 4) << r.err;
	EXPECT_NE(r.err.find("not attached"), std::string::npos) << r.err;

	// The failures changed nothing.
	EXPECT_EQ(lb_json("vip list"), json::array());
}
