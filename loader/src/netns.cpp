#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

namespace netext::loader {

NetnsScope::NetnsScope(const std::string &name)
{
	std::string path = "/run/netns/" + name;
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		throw Error("network namespace '" + name + "' does not exist (see 'ip netns list')",
			    ExitCode::NotFound);
	saved_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || saved_ < 0 || setns(fd, CLONE_NEWNET) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		bool denied = err == EPERM || err == EACCES;
		throw Error("cannot enter network namespace '" + name + "': " + std::strerror(err) +
				    (denied ? " (entering a namespace needs root; run it with sudo)"
					    : ""),
			    denied ? ExitCode::Permission : ExitCode::Failure);
	}
	close(fd);
}

NetnsScope::~NetnsScope()
{
	if (saved_ >= 0) {
		setns(saved_, CLONE_NEWNET);
		close(saved_);
	}
}

std::string netns_scope()
{
	struct stat self {
	}, init{};
	if (stat("/proc/self/ns/net", &self) != 0)
		return "";
	if (stat("/proc/1/ns/net", &init) == 0 && init.st_ino == self.st_ino)
		return ""; // the initial namespace
	if (DIR *d = opendir("/run/netns")) {
		std::string found;
		while (dirent *e = readdir(d)) {
			struct stat st {};
			std::string p = std::string("/run/netns/") + e->d_name;
			if (e->d_name[0] != '.' && stat(p.c_str(), &st) == 0 &&
			    st.st_ino == self.st_ino) {
				found = e->d_name;
				break;
			}
		}
		closedir(d);
		if (!found.empty())
			return "netns:" + found;
	}
	// Unnamed: told by its inode, unless PID 1 is hidden from us and we cannot tell it
	// from the initial namespace (then assume the initial one).
	return init.st_ino == 0 ? "" : "netns:" + std::to_string(self.st_ino);
}

} // namespace netext::loader
