// Testbed: two throwaway network namespaces joined by a veth pair, with addresses from
// 198.18.0.0/15 and 2001:db8::/32, removed on destruction, on SIGINT/SIGTERM, and (if a
// previous run was killed) by the next run. Used by integration tests and the demo.
//
//   client ns: eth0 198.18.0.1/24 2001:db8::1/64  <-veth->  server ns: eth0 198.18.0.2/24
//   2001:db8::2/64
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <netext/loader/netns.hpp>

namespace netext::testing {

class Testbed {
public:
	static constexpr const char *kClientIp4 = "198.18.0.1";
	static constexpr const char *kServerIp4 = "198.18.0.2";
	static constexpr const char *kClientIp6 = "2001:db8::1";
	static constexpr const char *kServerIp6 = "2001:db8::2";
	static constexpr const char *kIfname = "eth0"; // the veth end in each namespace

	// Throws netext::Error (with the failed command's output) if setup fails; whatever
	// was created is removed first.
	Testbed();
	~Testbed();
	Testbed(const Testbed &) = delete;
	Testbed &operator=(const Testbed &) = delete;

	[[nodiscard]] const std::string &client() const noexcept { return client_; }
	[[nodiscard]] const std::string &server() const noexcept { return server_; }

	// Runs a shell command inside a namespace; returns its exit status.
	int run(const std::string &ns, const std::string &command) const;
	// The same, returning standard output; throws if the command fails.
	std::string output(const std::string &ns, const std::string &command) const;

	// Sends count UDP datagrams from the client to ip (IPv4 or IPv6) and port.
	void send_udp(const std::string &ip, uint16_t port, int count) const;

	// Moves the calling thread into a namespace for its lifetime (libbpf's netlink
	// calls and if_nametoindex then act there).
	using Enter = loader::NetnsScope;

private:
	void teardown() noexcept;
	std::string client_, server_;
};

// Runs a command on the host, returning its exit status; output goes to `out` if given.
int shell(const std::string &command, std::string *out = nullptr);

// A command's exit status (as shell() gives it) and its standard output and standard
// error, captured apart (in unlinked temporary files: nothing is left behind).
struct Captured {
	int code;
	std::string out, err;
};
Captured capture(const std::string &command);

} // namespace netext::testing
