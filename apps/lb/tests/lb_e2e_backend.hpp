// How the LB end-to-end tests' backends (lb_e2e_test.cpp, lb_fleet_e2e_test.cpp) take the
// LB's encapsulated packets: with the kernel's fallback tunnel devices (tunl0, ip6tnl0)
// where the backend's namespace has them, else by taking IP-in-IP and IPv6-in-IPv6 packets
// off raw sockets and writing their inner packet to the TUN device dec0 (the kernel then
// receives it as if a tunnel had decapsulated it). Each backend serves its own requests.
#pragma once

#include <netext/loader/netns.hpp>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <future>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "lb_e2e_sockets.hpp"

namespace netext::testing::lb_e2e {

class Decapsulator {
public:
	// In the backend's namespace (the calling thread's); throws naming a failed call.
	void setup()
	{
		kernel_tunnels_ = bring_up_kernel_tunnels();
		if (kernel_tunnels_)
			return;
		tun_ = open_tun();
		raw4_ = Fd(check(
			socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_IPIP),
			"raw socket (IP-in-IP)"));
		raw6_ = Fd(check(
			socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_IPV6),
			"raw socket (IPv6-in-IPv6)"));
	}
	// The raw sockets to poll (-1, which poll() skips, where the kernel decapsulates).
	[[nodiscard]] int raw4() const { return raw4_.get(); }
	[[nodiscard]] int raw6() const { return raw6_.get(); }
	[[nodiscard]] bool kernel_tunnels() const { return kernel_tunnels_; }

	// Hands every packet the raw sockets hold to the kernel, decapsulated.
	void drain(std::vector<uint8_t> &buf)
	{
		if (kernel_tunnels_)
			return;
		decap4(buf);
		decap6(buf);
	}

	// Inner packets handed to the kernel (by tunl0 and ip6tnl0 in namespace ns, or by
	// drain()).
	[[nodiscard]] uint64_t decapsulated(const std::string &ns) const
	{
		if (!kernel_tunnels_)
			return decapsulated_;
		loader::NetnsScope in(ns);
		return rx_packets("tunl0") + rx_packets("ip6tnl0");
	}
	// Encapsulated packets whose outer source is not the LB's (198.19/16,
	// 2001:db8:0:ffff::/64), seen by drain().
	[[nodiscard]] uint64_t foreign() const { return foreign_; }

private:
	// A device's received packets, in the calling thread's namespace.
	static uint64_t rx_packets(const std::string &dev)
	{
		std::ifstream f("/proc/thread-self/net/dev");
		std::string line;
		while (std::getline(f, line)) {
			std::size_t colon = line.find(':');
			if (colon == std::string::npos)
				continue;
			std::string name = line.substr(0, colon);
			name.erase(0, name.find_first_not_of(' '));
			if (name != dev)
				continue;
			std::istringstream in(line.substr(colon + 1));
			uint64_t bytes = 0, packets = 0;
			in >> bytes >> packets;
			return packets;
		}
		return 0;
	}

	// The kernel's fallback tunnels, up, if this namespace has them.
	static bool bring_up_kernel_tunnels()
	{
		if (if_nametoindex("tunl0") == 0 || if_nametoindex("ip6tnl0") == 0)
			return false;
		Fd s(check(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
		for (const char *dev : {"tunl0", "ip6tnl0"}) {
			ifreq ifr{};
			std::strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
			check(ioctl(s.get(), SIOCGIFFLAGS, &ifr), "SIOCGIFFLAGS");
			ifr.ifr_flags |= IFF_UP;
			check(ioctl(s.get(), SIOCSIFFLAGS, &ifr), "SIOCSIFFLAGS");
		}
		return true;
	}

	static Fd open_tun()
	{
		Fd fd(check(open("/dev/net/tun", O_RDWR | O_CLOEXEC), "open /dev/net/tun"));
		ifreq ifr{};
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
		std::strncpy(ifr.ifr_name, "dec0", IFNAMSIZ - 1);
		check(ioctl(fd.get(), TUNSETIFF, &ifr), "TUNSETIFF dec0");
		Fd s(check(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
		check(ioctl(s.get(), SIOCGIFFLAGS, &ifr), "SIOCGIFFLAGS dec0");
		ifr.ifr_flags |= IFF_UP;
		check(ioctl(s.get(), SIOCSIFFLAGS, &ifr), "SIOCSIFFLAGS dec0");
		return fd;
	}

	// An IPv4 raw socket gets the outer header too.
	void decap4(std::vector<uint8_t> &buf)
	{
		for (;;) {
			ssize_t n = recv(raw4_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
			if (n < 20)
				return;
			std::size_t ihl = (buf[0] & 0xfu) * 4u;
			if (buf[12] != 198 || buf[13] != 19)
				foreign_++;
			std::size_t len = static_cast<std::size_t>(n) - ihl;
			if (static_cast<std::size_t>(n) > ihl &&
			    write(tun_.get(), buf.data() + ihl, len) == static_cast<ssize_t>(len))
				decapsulated_++;
		}
	}

	// An IPv6 raw socket gets the payload: the inner packet; the outer source comes aside.
	void decap6(std::vector<uint8_t> &buf)
	{
		static constexpr uint8_t kSrc6[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0xff, 0xff};
		for (;;) {
			sockaddr_in6 from{};
			socklen_t len = sizeof(from);
			ssize_t n = recvfrom(raw6_.get(), buf.data(), buf.size(), MSG_DONTWAIT,
					     reinterpret_cast<sockaddr *>(&from), &len);
			if (n < 0)
				return;
			if (std::memcmp(from.sin6_addr.s6_addr, kSrc6, sizeof(kSrc6)) != 0)
				foreign_++;
			if (write(tun_.get(), buf.data(), static_cast<std::size_t>(n)) == n)
				decapsulated_++;
		}
	}

	Fd tun_, raw4_, raw6_;
	std::atomic<bool> kernel_tunnels_{false};
	std::atomic<uint64_t> decapsulated_{0}, foreign_{0};
};

// A backend's thread, in its namespace: `run` sets its promise to "" once set up (or to
// the error, and returns), then serves until stopping().
class BackendThread {
public:
	BackendThread() = default;
	BackendThread(const BackendThread &) = delete;
	BackendThread &operator=(const BackendThread &) = delete;
	virtual ~BackendThread() = default;

protected:
	// Starts `run` and waits for its setup; throws "<name>: <error>" if that failed.
	void start(const std::string &name, std::function<void(std::promise<std::string> &)> run)
	{
		std::promise<std::string> ready;
		std::future<std::string> setup = ready.get_future();
		thread_ = std::thread([&ready, run = std::move(run)] { run(ready); });
		std::string error = setup.get();
		if (!error.empty()) {
			thread_.join();
			throw std::runtime_error(name + ": " + error);
		}
	}
	// Stops and joins the thread; the derived class's destructor calls it first.
	void stop()
	{
		stop_ = true;
		if (thread_.joinable())
			thread_.join();
	}
	[[nodiscard]] bool stopping() const { return stop_; }

private:
	std::atomic<bool> stop_{false};
	std::thread thread_;
};

} // namespace netext::testing::lb_e2e
