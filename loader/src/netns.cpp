#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

namespace netext::loader {

namespace {

// The initial PID namespace's inode is a constant of the kernel (PROC_PID_INIT_INO).
constexpr uint64_t kInitialPidNsIno = 0xEFFFFFFCu;

uint64_t ino_of(const std::string &path)
{
	struct stat st {};
	return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

} // namespace

NetnsScope::NetnsScope(const std::string &name)
{
	std::string path = "/run/netns/" + name;
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		throw Error("network namespace '" + name + "' does not exist (see 'ip netns list')",
			    ExitCode::NotFound);
	enter(fd, "'" + name + "'");
}

NetnsScope::NetnsScope(const Path &p)
{
	int fd = open(p.path.c_str(), O_RDONLY | O_CLOEXEC);
	enter(fd, "at " + p.path);
}

void NetnsScope::enter(int fd, const std::string &what)
{
	int err = errno;
	if (fd >= 0) {
		saved_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (saved_ < 0 || setns(fd, CLONE_NEWNET) != 0)
			err = errno;
		else
			err = 0;
		close(fd);
	}
	if (err != 0) {
		if (saved_ >= 0)
			close(saved_);
		saved_ = -1;
		bool denied = err == EPERM || err == EACCES;
		throw Error("cannot enter network namespace " + what + ": " + std::strerror(err) +
				    (denied ? " (entering a namespace needs root; run it with sudo)"
					    : ""),
			    denied ? ExitCode::Permission : ExitCode::Failure);
	}
}

NetnsScope::~NetnsScope()
{
	if (saved_ >= 0) {
		setns(saved_, CLONE_NEWNET);
		close(saved_);
	}
}

NetnsId current_netns()
{
	NetnsId id;
	id.ino = ino_of("/proc/thread-self/ns/net");
	uint64_t init = ino_of("/proc/1/ns/net");
	id.initial = init != 0 && init == id.ino;
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		uint64_t cookie = 0;
		socklen_t len = sizeof(cookie);
		if (getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) == 0)
			id.cookie = cookie;
		close(s);
	}
	return id;
}

std::string netns_name(uint64_t ino)
{
	std::string found;
	if (DIR *d = opendir("/run/netns")) {
		while (dirent *e = readdir(d)) {
			if (e->d_name[0] != '.' &&
			    ino_of(std::string("/run/netns/") + e->d_name) == ino) {
				found = e->d_name;
				break;
			}
		}
		closedir(d);
	}
	return found;
}

std::string netns_scope()
{
	NetnsId self = current_netns();
	if (self.ino == 0 || self.initial)
		return "";
	std::string name = netns_name(self.ino);
	if (!name.empty())
		return "netns:" + name;
	// Unnamed: told by its inode, unless PID 1 is hidden from us and we cannot tell it
	// from the initial namespace (then assume the initial one).
	return ino_of("/proc/1/ns/net") == 0 ? "" : "netns:" + std::to_string(self.ino);
}

NetnsCensus find_netns()
{
	NetnsCensus c;
	auto add = [&](const std::string &path) {
		uint64_t ino = ino_of(path);
		if (ino != 0)
			c.paths.emplace(ino, path);
	};
	if (DIR *d = opendir("/run/netns")) {
		while (dirent *e = readdir(d))
			if (e->d_name[0] != '.')
				add(std::string("/run/netns/") + e->d_name);
		closedir(d);
	}
	bool every_process = true;
	if (DIR *d = opendir("/proc")) {
		while (dirent *e = readdir(d)) {
			if (e->d_name[0] < '1' || e->d_name[0] > '9')
				continue;
			std::string task = std::string("/proc/") + e->d_name + "/task";
			DIR *t = opendir(task.c_str());
			if (!t) {
				every_process = every_process && errno == ENOENT; // exited
				continue;
			}
			while (dirent *th = readdir(t)) {
				if (th->d_name[0] < '1' || th->d_name[0] > '9')
					continue;
				std::string ns = task + "/" + th->d_name + "/ns/net";
				// PID 1 may hide its namespace (a sandbox's init): in the initial
				// PID namespace it is the initial network namespace, which exists.
				bool init = std::strcmp(e->d_name, "1") == 0;
				if (ino_of(ns) == 0 && errno != ENOENT && !init)
					every_process = false;
				add(ns);
			}
			closedir(t);
		}
		closedir(d);
	} else {
		every_process = false;
	}
	// nsfs bind mounts elsewhere than /run/netns (`ip netns` in a private /run, tools
	// that pin namespaces under their own directories)
	std::ifstream mounts("/proc/self/mountinfo");
	for (std::string line; std::getline(mounts, line);) {
		std::istringstream in(line);
		std::string id, parent, dev, root, point, rest;
		in >> id >> parent >> dev >> root >> point;
		auto dash = line.find(" - ");
		if (dash != std::string::npos && line.compare(dash + 3, 5, "nsfs ") == 0 &&
		    root.find("net:[") != std::string::npos)
			add(point);
	}
	c.complete = every_process && ino_of("/proc/self/ns/pid") == kInitialPidNsIno;
	return c;
}

} // namespace netext::loader
