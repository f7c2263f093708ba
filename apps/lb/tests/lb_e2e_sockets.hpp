// Small socket helpers the LB's end-to-end tests share (lb_e2e_test.cpp,
// lb_fleet_e2e_test.cpp): a descriptor closed when it goes out of scope, and a check that
// turns a failed call into an exception naming it and errno.
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <utility>

namespace netext::testing::lb_e2e {

class Fd {
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
	Fd &operator=(Fd &&o) noexcept
	{
		std::swap(fd_, o.fd_);
		return *this;
	}
	~Fd()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	[[nodiscard]] int get() const noexcept { return fd_; }

private:
	int fd_ = -1;
};

inline int check(int rc, const std::string &what)
{
	if (rc < 0)
		throw std::runtime_error(what + ": " + std::strerror(errno));
	return rc;
}

} // namespace netext::testing::lb_e2e
