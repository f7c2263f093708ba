// netext-dpdk-bump: an app's host build (the same C++ source as its eBPF and native builds)
// run by DPDK as a bump in the wire, polling one core:
//
//   wire (a veth: net_af_packet or net_af_xdp) --XDP program--> pass: TAP (net_tap, the
//                                                               kernel side: memcached)
//                                                               tx/redirect: back to the wire
//   TAP  --tc egress program (if the app has one)-->            ok: wire; shot: dropped
//
// Usage: netext-dpdk-bump --app bmc|lb --wire IFACE --tap NAME [--pmd af_packet|af_xdp]
//        [--core N] [--set NAME=VALUE]... [--lb-config FILE] [--stats FILE] [--seconds S]
// The TAP takes the wire's MAC address. Prints "memory: ..." and "ready" once both ports
// run; writes its counters and the app's `<app>_stats` map ("name value" lines) to --stats
// every 50 ms; stops on SIGINT/SIGTERM (or after --seconds), printing them.
//
// The forwarding table the apps' FIB lookups see (the LB's next hop) is the kernel's
// neighbour table for the TAP (/proc/net/arp, read again every second): every neighbour
// is on the wire, left by XDP_TX. IPv6 is not routed (the app passes the packet on).
// --lb-config gives the LB its VIPs and backends (`netext lb apply`'s JSON, through its
// control plane on this process's maps).
#include <netext/config.hpp>
#include <netext/host/frame.hpp>
#include <netext/host/runtime.hpp>
#include <netext/lb/config.hpp>
#include <netext/maps.hpp>

#include <arpa/inet.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "host_maps.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int)
{
	g_stop = 1;
}

[[noreturn]] void usage(const std::string &why)
{
	std::fprintf(stderr,
		     "netext-dpdk-bump: %s\n"
		     "usage: netext-dpdk-bump --app bmc|lb --wire IFACE --tap NAME [--pmd "
		     "af_packet|af_xdp] [--core N]\n"
		     "         [--set NAME=VALUE]... [--lb-config FILE] [--stats FILE] [--seconds "
		     "S]\n",
		     why.c_str());
	std::exit(2);
}

struct Counters {
	uint64_t rx_wire = 0, rx_tap = 0, tx_wire = 0, tx_tap = 0;
	uint64_t xdp_pass = 0, xdp_tx = 0, xdp_drop = 0, xdp_redirect = 0, xdp_aborted = 0;
	uint64_t tc_ok = 0, tc_shot = 0, tx_dropped = 0, too_long = 0;
};

netext::host::MapBase *g_app_stats = nullptr; // the app's <app>_stats map, if any

void write_stats(const Counters &c, FILE *f)
{
	std::fprintf(f,
		     "rx_wire %lu\nrx_tap %lu\ntx_wire %lu\ntx_tap %lu\nxdp_pass %lu\nxdp_tx %lu\n"
		     "xdp_drop %lu\nxdp_redirect %lu\nxdp_aborted %lu\ntc_ok %lu\ntc_shot %lu\n"
		     "tx_dropped %lu\ntoo_long %lu\n",
		     c.rx_wire, c.rx_tap, c.tx_wire, c.tx_tap, c.xdp_pass, c.xdp_tx, c.xdp_drop,
		     c.xdp_redirect, c.xdp_aborted, c.tc_ok, c.tc_shot, c.tx_dropped, c.too_long);
	// the app's statistics: u64 words per entry, summed over the host's CPUs
	if (netext::host::MapBase *map = g_app_stats) {
		uint32_t words = map->value_size() / 8;
		for (uint32_t i = 0; i < map->max_entries(); i++)
			for (uint32_t w = 0; w < words; w++) {
				uint64_t sum = 0;
				for (unsigned cpu = 0; cpu < netext::host::kHostCpus; cpu++)
					if (const uint8_t *v = map->lookup_cpu(&i, cpu)) {
						uint64_t x;
						std::memcpy(&x, v + 8 * w, 8);
						sum += x;
					}
				std::fprintf(f, "%s.%u%s %lu\n", map->name().c_str(), i,
					     words > 1 ? ("." + std::to_string(w)).c_str() : "",
					     sum);
			}
	}
}

// The forwarding table: the kernel's IPv4 neighbours on the TAP (/proc/net/arp), each
// reached through the wire (the ingress interface: XDP_TX) from the wire's MAC.
struct Neighbour {
	uint32_t ip; // network order
	uint8_t mac[6];
};
std::vector<Neighbour> g_neighbours;
std::string g_tap;
uint8_t g_wire_mac[6];

void read_neighbours()
{
	std::vector<Neighbour> out;
	std::ifstream f("/proc/net/arp");
	std::string line;
	std::getline(f, line); // header
	while (std::getline(f, line)) {
		std::istringstream ss(line);
		std::string ip, hw, flags, mac, mask, dev;
		if (!(ss >> ip >> hw >> flags >> mac >> mask >> dev) || dev != g_tap)
			continue;
		Neighbour n{};
		unsigned m[6];
		if (inet_pton(AF_INET, ip.c_str(), &n.ip) != 1 ||
		    std::sscanf(mac.c_str(), "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
				&m[5]) != 6 ||
		    std::strtoul(flags.c_str(), nullptr, 16) == 0) // 0: incomplete
			continue;
		for (int i = 0; i < 6; i++)
			n.mac[i] = static_cast<uint8_t>(m[i]);
		out.push_back(n);
	}
	g_neighbours.swap(out);
}

netext::Fib fib_from_neighbours(int family, const uint8_t *dst, uint32_t ingress_ifindex,
				netext::FibResult &out)
{
	if (family != 4)
		return netext::Fib::NoRoute;
	uint32_t ip;
	std::memcpy(&ip, dst, 4);
	for (const Neighbour &n : g_neighbours)
		if (n.ip == ip) {
			out.ifindex = ingress_ifindex;
			for (int i = 0; i < 6; i++) {
				out.smac[static_cast<std::size_t>(i)] = g_wire_mac[i];
				out.dmac[static_cast<std::size_t>(i)] = n.mac[i];
			}
			return netext::Fib::Ok;
		}
	return netext::Fib::NoNeighbour;
}

// One frame laid out as the host runner (and BPF_PROG_TEST_RUN) lays it out: 256 bytes of
// headroom, the packet, tailroom to the page's end; reused for every packet.
alignas(64) uint8_t g_buf[netext::host::kFrameSize + 2];

// Runs prog on the mbuf's bytes; on return the mbuf holds the program's output. Returns the
// verdict, or -1 if the packet does not fit a frame.
int run_on(const netext::host::Program &prog, rte_mbuf *m, uint32_t ingress_ifindex)
{
	using namespace netext::host;
	uint32_t len = rte_pktmbuf_pkt_len(m);
	if (len < kEthHeaderLen || len > kFrameSize - kHeadroom - kTailroom || m->nb_segs != 1)
		return -1;
	Frame f;
	f.hard_start = g_buf + 2;
	f.hard_end = f.hard_start + kFrameSize - kTailroom;
	f.data = f.data_meta = f.hard_start + kHeadroom;
	f.data_end = f.data + len;
	f.ingress_ifindex = ingress_ifindex;
	std::memcpy(f.data, rte_pktmbuf_mtod(m, const uint8_t *), len);
	std::memcpy(&f.protocol, f.data + 12, sizeof f.protocol);
	int verdict;
	if (prog.hook == netext::Hook::Xdp) {
		netext::XdpContext ctx(&f);
		verdict = static_cast<int>(prog.xdp(ctx));
	} else {
		netext::TcContext ctx(&f);
		verdict = static_cast<int>(prog.tc(ctx));
	}
	auto out = static_cast<uint32_t>(f.data_end - f.data);
	if (out > static_cast<uint32_t>(m->buf_len))
		return -1;
	rte_pktmbuf_reset(m);
	char *p = rte_pktmbuf_append(m, static_cast<uint16_t>(out));
	if (!p)
		return -1;
	std::memcpy(p, f.data, out);
	return verdict;
}

void send(uint16_t port, std::vector<rte_mbuf *> &out, uint64_t &sent, uint64_t &dropped)
{
	if (out.empty())
		return;
	uint16_t n = rte_eth_tx_burst(port, 0, out.data(), static_cast<uint16_t>(out.size()));
	sent += n;
	for (std::size_t i = n; i < out.size(); i++) {
		rte_pktmbuf_free(out[i]);
		dropped++;
	}
	out.clear();
}

int port_start(uint16_t port, rte_mempool *pool)
{
	rte_eth_conf conf{};
	if (rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), nullptr, pool) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), nullptr) < 0 ||
	    rte_eth_dev_start(port) < 0)
		return -1;
	rte_eth_promiscuous_enable(port);
	return 0;
}

std::string read_file(const std::string &path)
{
	std::ifstream f(path);
	std::string s;
	std::getline(f, s);
	return s;
}

} // namespace

int main(int argc, char **argv)
{
	std::string app, wire, tap, pmd = "af_packet", stats, lb_config;
	unsigned core = 1;
	double seconds = 0;
	std::vector<std::pair<std::string, uint64_t>> sets;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto next = [&]() -> std::string {
			if (i + 1 >= argc)
				usage("missing value for " + a);
			return argv[++i];
		};
		if (a == "--app")
			app = next();
		else if (a == "--wire")
			wire = next();
		else if (a == "--tap")
			tap = next();
		else if (a == "--pmd")
			pmd = next();
		else if (a == "--core")
			core = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--stats")
			stats = next();
		else if (a == "--lb-config")
			lb_config = next();
		else if (a == "--seconds")
			seconds = std::stod(next());
		else if (a == "--set") {
			std::string kv = next();
			auto eq = kv.find('=');
			if (eq == std::string::npos)
				usage("--set takes NAME=VALUE");
			sets.emplace_back(kv.substr(0, eq), std::stoull(kv.substr(eq + 1)));
		} else
			usage("unknown option " + a);
	}
	if (app.empty() || wire.empty() || tap.empty())
		usage("--app, --wire and --tap are required");
	if (pmd != "af_packet" && pmd != "af_xdp")
		usage("--pmd must be af_packet or af_xdp");
	const netext::host::Program *xdp = nullptr, *tc = nullptr;
	for (const netext::host::Program &p : netext::host::programs()) {
		if (app != p.app)
			continue;
		if (p.hook == netext::Hook::Xdp && !xdp)
			xdp = &p;
		else if (p.hook != netext::Hook::Xdp && !tc)
			tc = &p;
	}
	if (!xdp)
		usage("app '" + app + "' has no XDP program in this build (built in: bmc, lb)");
	for (auto &[name, value] : sets)
		if (!netext::host::set_config(app, name, value))
			usage("app '" + app + "' has no setting '" + name + "'");

	std::string mac = read_file("/sys/class/net/" + wire + "/address");
	if (mac.empty())
		usage("interface '" + wire + "' does not exist (see 'ip link')");
	unsigned wm[6];
	if (std::sscanf(mac.c_str(), "%x:%x:%x:%x:%x:%x", &wm[0], &wm[1], &wm[2], &wm[3], &wm[4],
			&wm[5]) != 6)
		usage("cannot read " + wire + "'s MAC address '" + mac + "'");
	for (int i = 0; i < 6; i++)
		g_wire_mac[i] = static_cast<uint8_t>(wm[i]);
	g_tap = tap;
	netext::host::fib_lookup = fib_from_neighbours;
	g_app_stats = netext::host::find_map(app, app + "_stats");
	if (!lb_config.empty()) {
		if (app != "lb")
			usage("--lb-config is for --app lb");
		std::ifstream f(lb_config);
		std::stringstream text;
		text << f.rdbuf();
		if (!f)
			usage("cannot read " + lb_config);
		try {
			uint32_t ring = 65537;
			for (auto &[name, value] : sets)
				if (name == "ring_size")
					ring = static_cast<uint32_t>(value);
			netext::lb::Balancer b(std::make_unique<netext::testing::HostLbMaps>(),
					       ring);
			netext::lb::apply_config(b,
						 netext::lb::parse_config(text.str(), lb_config));
		} catch (const std::exception &e) {
			std::fprintf(stderr, "netext-dpdk-bump: %s\n", e.what());
			return 2;
		}
	}
	// Huge pages if the machine has some free, else --no-huge.
	bool huge = std::atol(read_file("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages")
				      .c_str()) >= 256;
	std::string lcores = std::to_string(core);
	std::string prefix = "--file-prefix=netext-bump-" + std::to_string(getpid());
	std::string vwire = pmd == "af_packet" ? "--vdev=net_af_packet0,iface=" + wire
					       : "--vdev=net_af_xdp0,iface=" + wire +
							 ",start_queue=0,queue_count=1";
	std::string vtap = "--vdev=net_tap0,iface=" + tap + ",mac=" + mac;
	std::vector<std::string> eal = {
		"netext-dpdk-bump", "-l", lcores, "--no-pci", prefix, vwire, vtap,
		"--log-level=error"};
	if (!huge) {
		eal.emplace_back("--no-huge");
		eal.emplace_back("-m");
		eal.emplace_back("256");
	} else
		eal.emplace_back("--in-memory");
	std::vector<char *> eargv;
	for (std::string &s : eal)
		eargv.push_back(s.data());
	if (rte_eal_init(static_cast<int>(eargv.size()), eargv.data()) < 0) {
		std::fprintf(stderr, "netext-dpdk-bump: EAL init failed: %s\n",
			     rte_strerror(rte_errno));
		return 1;
	}
	std::printf("memory: %s\n", huge ? "2 MiB huge pages" : "--no-huge (no free huge pages)");
	rte_mempool *pool = rte_pktmbuf_pool_create("bump", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						    rte_socket_id());
	uint16_t pw = 0, pt = 0;
	bool wire_ok = rte_eth_dev_get_port_by_name("net_af_packet0", &pw) == 0 ||
		       rte_eth_dev_get_port_by_name("net_af_xdp0", &pw) == 0;
	if (!pool || !wire_ok || rte_eth_dev_get_port_by_name("net_tap0", &pt) != 0) {
		std::fprintf(stderr, "netext-dpdk-bump: ports missing (PMDs net_%s, net_tap)\n",
			     pmd.c_str());
		return 1;
	}
	if (port_start(pw, pool) || port_start(pt, pool)) {
		std::fprintf(stderr, "netext-dpdk-bump: cannot start the ports\n");
		return 1;
	}
	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);
	std::printf("app %s: wire %s (net_%s) <-> TAP %s (%s), polling core %u\nready\n",
		    app.c_str(), wire.c_str(), pmd.c_str(), tap.c_str(), mac.c_str(), core);
	std::fflush(stdout);

	Counters c;
	std::vector<rte_mbuf *> to_wire, to_tap;
	rte_mbuf *burst[32];
	auto start = std::chrono::steady_clock::now();
	auto last = start;
	auto last_arp = start - std::chrono::seconds(2);
	uint32_t iter = 0;
	while (!g_stop) {
		uint16_t n = rte_eth_rx_burst(pw, 0, burst, 32);
		c.rx_wire += n;
		for (uint16_t i = 0; i < n; i++) {
			int v = run_on(*xdp, burst[i], 2);
			switch (v) {
			case static_cast<int>(netext::XdpAction::Pass):
				c.xdp_pass++;
				to_tap.push_back(burst[i]);
				break;
			case static_cast<int>(netext::XdpAction::Tx):
				c.xdp_tx++;
				to_wire.push_back(burst[i]);
				break;
			case static_cast<int>(netext::XdpAction::Redirect):
				c.xdp_redirect++; // one wire: a redirect leaves by it
				to_wire.push_back(burst[i]);
				break;
			case -1:
				c.too_long++;
				to_tap.push_back(burst[i]);
				break;
			default:
				(v == static_cast<int>(netext::XdpAction::Drop) ? c.xdp_drop
										: c.xdp_aborted)++;
				rte_pktmbuf_free(burst[i]);
			}
		}
		send(pt, to_tap, c.tx_tap, c.tx_dropped);
		send(pw, to_wire, c.tx_wire, c.tx_dropped);
		n = rte_eth_rx_burst(pt, 0, burst, 32);
		c.rx_tap += n;
		for (uint16_t i = 0; i < n; i++) {
			int v = tc ? run_on(*tc, burst[i], 3) : 0;
			if (v == 2 /* TC_ACT_SHOT */) {
				c.tc_shot++;
				rte_pktmbuf_free(burst[i]);
			} else {
				c.tc_ok++;
				to_wire.push_back(burst[i]);
			}
		}
		send(pw, to_wire, c.tx_wire, c.tx_dropped);
		if ((++iter & 1023) == 0) {
			auto now = std::chrono::steady_clock::now();
			if (now - last_arp > std::chrono::seconds(1)) {
				read_neighbours();
				last_arp = now;
			}
			if (!stats.empty() && now - last > std::chrono::milliseconds(50)) {
				std::string tmp = stats + ".tmp";
				if (FILE *f = std::fopen(tmp.c_str(), "w")) {
					write_stats(c, f);
					std::fclose(f);
					std::rename(tmp.c_str(), stats.c_str());
				}
				last = now;
			}
			if (seconds > 0 && now - start > std::chrono::duration<double>(seconds))
				break;
		}
	}
	write_stats(c, stdout);
	rte_eth_dev_stop(pw);
	rte_eth_dev_stop(pt);
	rte_eth_dev_close(pw);
	rte_eth_dev_close(pt);
	rte_eal_cleanup();
	return 0;
}
