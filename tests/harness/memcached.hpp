// A real memcached in a testbed's server namespace, and small text-protocol clients (UDP
// with the 8-byte frame header, TCP) whose sockets live in the namespace they were made in.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "testbed.hpp"

namespace netext::testing {

class MemcachedServer {
public:
	// memcached -U 11211 -p 11211 on the server's IPv4 and IPv6 addresses, daemonized with
	// a pidfile; waits until it answers over TCP. Throws (leaving nothing running) if it
	// does not start.
	explicit MemcachedServer(const Testbed &tb, unsigned threads = 1, unsigned memory_mb = 64);
	~MemcachedServer(); // stops it (by its PID only) and waits until it has gone
	MemcachedServer(const MemcachedServer &) = delete;
	MemcachedServer &operator=(const MemcachedServer &) = delete;

	// Its PID, from the pidfile (0 if none).
	[[nodiscard]] pid_t pid() const;

private:
	void stop() noexcept;
	std::string pidfile_;
};

// One UDP socket (made in the calling thread's namespace) talking to memcached.
class McUdpClient {
public:
	explicit McUdpClient(const std::string &server_ip, uint16_t port = 11211);
	~McUdpClient();
	McUdpClient(const McUdpClient &) = delete;
	McUdpClient &operator=(const McUdpClient &) = delete;

	// Sends `request` (one datagram, a fresh request id) and returns the answer's text:
	// the payloads of its datagrams, in arrival order, up to and including "END\r\n" (or
	// the first datagram that is not a GET answer). Empty on timeout.
	std::string request(const std::string &request, int timeout_ms = 500);

private:
	int fd_ = -1;
	uint16_t next_id_ = 1;
};

// One TCP connection to memcached.
class McTcpClient {
public:
	explicit McTcpClient(const std::string &server_ip, uint16_t port = 11211);
	~McTcpClient();
	McTcpClient(const McTcpClient &) = delete;
	McTcpClient &operator=(const McTcpClient &) = delete;

	// Sends `command` and reads one reply: through "END\r\n" for get/gets, else one line.
	std::string call(const std::string &command, int timeout_ms = 2000);
	// Sends `bytes` at once, as a segment of its own (TCP_NODELAY), without reading.
	void send_segment(const std::string &bytes);
	// Reads one reply: through "END\r\n" if `multi`, else one line.
	std::string reply(bool multi = false, int timeout_ms = 2000);

private:
	int fd_ = -1;
	std::string buffered_;
};

} // namespace netext::testing
