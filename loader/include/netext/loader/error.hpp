// Errors a user can cause: the message names the cause and the fix; the kind is the
// CLI's exit status (documented in the README).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace netext {

enum class ExitCode : int {
	Ok = 0,
	Failure = 1,	 // the kernel or a library refused; see the message
	Usage = 2,	 // bad command line, unknown option, bad --set
	Permission = 3,	 // not root / missing CAP_BPF or CAP_NET_ADMIN
	NotFound = 4,	 // no such interface, app, map, namespace or attachment
	Conflict = 5,	 // already attached, or a foreign XDP program in the way
	Environment = 6, // no usable bpffs
};

class Error : public std::runtime_error {
public:
	explicit Error(const std::string &msg, ExitCode code = ExitCode::Failure)
		: std::runtime_error(msg), code_(code)
	{}
	[[nodiscard]] ExitCode code() const noexcept { return code_; }

private:
	ExitCode code_;
};

// Appends printf-style output of any length (libbpf prints whole verifier logs at once).
inline int append_formatted(std::string &out, const char *fmt, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int n = std::vsnprintf(nullptr, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return n;
	std::size_t at = out.size();
	out.resize(at + static_cast<std::size_t>(n) + 1);
	std::vsnprintf(out.data() + at, static_cast<std::size_t>(n) + 1, fmt, args);
	out.resize(at + static_cast<std::size_t>(n));
	return n;
}

} // namespace netext
