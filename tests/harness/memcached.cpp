#include "memcached.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace netext::testing {

namespace {

sockaddr_in v4(const std::string &ip, uint16_t port)
{
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	if (inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1)
		throw std::runtime_error("bad IPv4 address " + ip);
	return a;
}

bool wait_readable(int fd, int timeout_ms)
{
	pollfd p{fd, POLLIN, 0};
	return poll(&p, 1, timeout_ms) == 1;
}

} // namespace

MemcachedServer::MemcachedServer(const Testbed &tb, unsigned threads, unsigned memory_mb)
	: pidfile_("/tmp/netext-memcached-" + std::to_string(getpid()) + "-" +
		   std::to_string(reinterpret_cast<uintptr_t>(this)) + ".pid")
{
	std::remove(pidfile_.c_str());
	std::string cmd = "memcached -d -P " + pidfile_ + " -u nobody -U 11211 -p 11211 -l " +
			  Testbed::kServerIp4 + " -l " + Testbed::kServerIp6 + " -t " +
			  std::to_string(threads) + " -m " + std::to_string(memory_mb);
	if (tb.run(tb.server(), cmd) != 0)
		throw std::runtime_error("memcached did not start: " + cmd);
	for (int i = 0; i < 100 && pid() <= 0; i++)
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	// Ready when it answers over TCP (bounded: 5 s).
	Testbed::Enter in(tb.client());
	for (int i = 0; i < 100; i++) {
		try {
			McTcpClient c(Testbed::kServerIp4);
			if (c.call("version\r\n", 500).rfind("VERSION", 0) == 0)
				return;
		} catch (const std::exception &) {
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	stop();
	throw std::runtime_error("memcached does not answer on " +
				 std::string(Testbed::kServerIp4) + ":11211");
}

MemcachedServer::~MemcachedServer()
{
	stop();
}

pid_t MemcachedServer::pid() const
{
	std::ifstream f(pidfile_);
	long p = 0;
	return f >> p && p > 0 ? static_cast<pid_t>(p) : 0;
}

void MemcachedServer::stop() noexcept
{
	pid_t p = pid();
	if (p > 0) {
		kill(p, SIGTERM); // only the one we started
		for (int i = 0; i < 150 && kill(p, 0) == 0; i++)
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		if (kill(p, 0) == 0)
			kill(p, SIGKILL);
	}
	std::remove(pidfile_.c_str());
}

McUdpClient::McUdpClient(const std::string &server_ip, uint16_t port)
{
	fd_ = socket(AF_INET, SOCK_DGRAM, 0);
	sockaddr_in a = v4(server_ip, port);
	if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
		throw std::runtime_error(std::string("UDP socket: ") + std::strerror(errno));
	next_id_ = static_cast<uint16_t>(getpid() * 7 + fd_ * 131);
}

McUdpClient::~McUdpClient()
{
	if (fd_ >= 0)
		close(fd_);
}

std::string McUdpClient::request(const std::string &text, int timeout_ms)
{
	uint16_t id = next_id_++;
	std::string dgram = {
		static_cast<char>(id >> 8), static_cast<char>(id & 0xff), 0, 0, 0, 1, 0, 0};
	dgram += text;
	if (send(fd_, dgram.data(), dgram.size(), 0) != static_cast<ssize_t>(dgram.size()))
		return {};
	std::string out;
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
	char buf[65536];
	while (true) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
				    deadline - std::chrono::steady_clock::now())
				    .count();
		if (left <= 0 || !wait_readable(fd_, static_cast<int>(left)))
			return {};
		ssize_t n = recv(fd_, buf, sizeof buf, 0);
		if (n < 8)
			continue;
		uint16_t got = static_cast<uint16_t>(static_cast<uint8_t>(buf[0]) << 8 |
						     static_cast<uint8_t>(buf[1]));
		if (got != id)
			continue; // a late answer to an earlier request
		if (n == 8)
			continue; // memcached 1.6 sends an empty datagram for a multi-key GET's
				  // misses
		out.append(buf + 8, static_cast<std::size_t>(n - 8));
		if (out.size() >= 5 && out.compare(out.size() - 5, 5, "END\r\n") == 0)
			return out;
		if (out.rfind("VALUE ", 0) != 0)
			return out; // an error line
	}
}

McTcpClient::McTcpClient(const std::string &server_ip, uint16_t port)
{
	fd_ = socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in a = v4(server_ip, port);
	if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
		throw std::runtime_error(std::string("TCP connect: ") + std::strerror(errno));
}

McTcpClient::~McTcpClient()
{
	if (fd_ >= 0)
		close(fd_);
}

std::string McTcpClient::call(const std::string &command, int timeout_ms)
{
	if (send(fd_, command.data(), command.size(), MSG_NOSIGNAL) !=
	    static_cast<ssize_t>(command.size()))
		throw std::runtime_error("TCP send failed");
	return reply(command.rfind("get ", 0) == 0 || command.rfind("gets ", 0) == 0, timeout_ms);
}

void McTcpClient::send_segment(const std::string &bytes)
{
	int one = 1;
	if (setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
	    send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
		    static_cast<ssize_t>(bytes.size()))
		throw std::runtime_error(std::string("TCP send: ") + std::strerror(errno));
}

std::string McTcpClient::reply(bool multi, int timeout_ms)
{
	auto done = [&](std::size_t &end) {
		if (multi) {
			std::size_t p = buffered_.find("END\r\n");
			if (p != std::string::npos &&
			    (p == 0 || buffered_.compare(p - 2, 2, "\r\n") == 0)) {
				end = p + 5;
				return true;
			}
			return false;
		}
		std::size_t p = buffered_.find("\r\n");
		if (p == std::string::npos)
			return false;
		end = p + 2;
		return true;
	};
	char buf[65536];
	std::size_t end = 0;
	while (!done(end)) {
		if (!wait_readable(fd_, timeout_ms))
			throw std::runtime_error("no TCP answer in " + std::to_string(timeout_ms) +
						 " ms");
		ssize_t n = recv(fd_, buf, sizeof buf, 0);
		if (n <= 0)
			throw std::runtime_error("TCP connection closed");
		buffered_.append(buf, static_cast<std::size_t>(n));
	}
	std::string reply = buffered_.substr(0, end);
	buffered_.erase(0, end);
	return reply;
}

} // namespace netext::testing
