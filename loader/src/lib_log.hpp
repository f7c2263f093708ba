// Captures what libbpf and libxdp print (warnings and errors, not debug) while alive, so
// an error can carry the verifier's log. Both libraries print through one global callback
// each; captures may nest (the innermost one receives the output).
#pragma once

#include <mutex>
#include <string>

namespace netext::loader {

class LibLog {
public:
	explicit LibLog(std::string &out);
	~LibLog();
	LibLog(const LibLog &) = delete;
	LibLog &operator=(const LibLog &) = delete;

private:
	std::unique_lock<std::recursive_mutex> lock_;
	std::string *previous_;
};

} // namespace netext::loader
