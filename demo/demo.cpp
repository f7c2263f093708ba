// netext-demo: the quick start's main job. Builds a throwaway testbed (two namespaces,
// one veth pair), attaches the counter app (with libnetext, as `netext attach` does) to the
// server's eth0 at XDP and at tc ingress and egress, sends ICMP, UDP and TCP traffic over IPv4 and
// IPv6 from the client, prints what the app counted, detaches and removes the testbed. Exits
// non-zero if the counts do not show the traffic that was sent.
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "counter.hpp"
#include "testbed.hpp"

using namespace netext;
using netext::testing::Testbed;

namespace {

constexpr int kUdpPackets = 20;

std::pair<uint64_t, uint64_t> read_counter(int map_fd, uint32_t slot)
{
	std::vector<uint64_t> c = loader::map_u64_sums(map_fd, slot, 2); // packets, bytes
	return {c[0], c[1]};
}

int run()
{
	Testbed tb;
	std::printf("testbed: %s (%s, %s) <-veth-> %s (%s, %s)\n", tb.client().c_str(),
		    Testbed::kClientIp4, Testbed::kClientIp6, tb.server().c_str(),
		    Testbed::kServerIp4, Testbed::kServerIp6);
	int stats = -1;
	{
		// The same path as `netext -n SERVER attach eth0 counter`, detached below.
		Testbed::Enter in_server(tb.server());
		loader::AttachRequest req;
		req.ifname = Testbed::kIfname;
		req.app = "counter";
		loader::Attachment a = loader::attach(req);
		std::printf("attached counter to %s/eth0: %s\n", tb.server().c_str(),
			    !a.xdp_mode ? "tc"
					: (std::string("xdp (") + loader::to_string(*a.xdp_mode) +
					   "), tc ingress, tc egress")
						  .c_str());
		if (!a.note.empty())
			std::printf("note: %s\n", a.note.c_str());
		stats = loader::open_pinned_map(a, "stats");
		struct Detach {
			~Detach() { loader::detach(Testbed::kIfname, "counter"); }
		} detach_on_exit;
		tb.send_udp(Testbed::kServerIp4, 9, kUdpPackets); // to the discard port
		tb.send_udp(Testbed::kServerIp6, 9, kUdpPackets);
		tb.run(tb.client(),
		       std::string("ping -c 3 -i 0.2 -W 1 ") + Testbed::kServerIp4 + " >/dev/null");
		tb.run(tb.client(), std::string("ping -6 -c 3 -i 0.2 -W 1 ") + Testbed::kServerIp6 +
					    " >/dev/null");
		tb.run(tb.client(), std::string("nc -z -w 1 ") + Testbed::kServerIp4 + " 80");
		tb.run(tb.client(), std::string("nc -z -w 1 ") + Testbed::kServerIp6 + " 80");
	}
	std::printf("\n%-12s %12s %12s %12s %12s %12s %12s\n", "class", "xdp pkts", "xdp bytes",
		    "tc-in pkts", "tc-in bytes", "tc-out pkts", "tc-out bytes");
	for (uint32_t c = 0; c < counter::kClasses; c++) {
		auto [xp, xb] = read_counter(stats, counter::slot(counter::HookXdp, c));
		auto [ip, ib] = read_counter(stats, counter::slot(counter::HookTcIngress, c));
		auto [ep, eb] = read_counter(stats, counter::slot(counter::HookTcEgress, c));
		if (xp + ip + ep == 0)
			continue;
		std::printf("%-12s %12lu %12lu %12lu %12lu %12lu %12lu\n", counter::kClassNames[c],
			    xp, xb, ip, ib, ep, eb);
	}
	bool ok = true;
	auto expect_at_least = [&](uint32_t hook, uint32_t cls, uint64_t n) {
		uint64_t got = read_counter(stats, counter::slot(hook, cls)).first;
		if (got < n) {
			std::fprintf(stderr,
				     "netext-demo: %s %s counted %lu, expected at least %lu\n",
				     counter::kHookNames[hook], counter::kClassNames[cls], got, n);
			ok = false;
		}
	};
	expect_at_least(counter::HookXdp, counter::Ipv4Udp, kUdpPackets);
	expect_at_least(counter::HookXdp, counter::Ipv6Udp, kUdpPackets);
	expect_at_least(counter::HookTcIngress, counter::Ipv4Udp, kUdpPackets);
	expect_at_least(counter::HookXdp, counter::Ipv4Icmp, 3);
	expect_at_least(counter::HookTcEgress, counter::Ipv4Icmp, 3); // the echo replies
	expect_at_least(counter::HookXdp, counter::Ipv6Icmp, 3);
	expect_at_least(counter::HookXdp, counter::Ipv4Tcp, 1);	     // the SYN
	expect_at_least(counter::HookTcEgress, counter::Ipv4Tcp, 1); // the RST
	close(stats);
	std::printf("\ndetached; testbed removed. %s\n", ok ? "demo OK" : "demo FAILED");
	return ok ? 0 : 1;
}

} // namespace

int main()
{
	try {
		return run();
	} catch (const Error &e) {
		std::fprintf(stderr, "netext-demo: %s\n", e.what());
		return 1;
	}
}
