// Network namespaces: entering one (by name, like `ip -n NAME`, or by path), identifying
// the current one by kernel object (its nsfs inode and its cookie, not a name under
// /run/netns, which a container or a private /run may not show), and finding every
// namespace this process can reach (for `status --prune`).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace netext::loader {

// Moves the calling thread into a network namespace until destroyed.
class NetnsScope {
public:
	// /run/netns/NAME
	explicit NetnsScope(const std::string &name);
	// any nsfs path (/proc/PID/ns/net, a bind mount)
	struct Path {
		std::string path;
	};
	explicit NetnsScope(const Path &p);
	~NetnsScope();
	NetnsScope(const NetnsScope &) = delete;
	NetnsScope &operator=(const NetnsScope &) = delete;

private:
	void enter(int fd, const std::string &what);
	int saved_ = -1;
};

// The calling thread's network namespace as the kernel knows it: the inode of its nsfs
// file (unique among live namespaces; reused after one is freed) and its cookie (unique
// for the boot; 0 where the kernel has no SO_NETNS_COOKIE, before 5.14).
struct NetnsId {
	uint64_t ino = 0;
	uint64_t cookie = 0;
	bool initial = false; // the initial namespace (PID 1's), when that can be told
};
NetnsId current_netns();

// The name under /run/netns of the namespace with this inode, or "" (none, or /run/netns
// is not visible here).
std::string netns_name(uint64_t ino);

// Where pins of attachments made here go: "" in the initial network namespace; otherwise
// "netns:NAME" (the name under /run/netns, or the namespace's inode number if it has
// none). Only a storage location: an attachment's identity is the namespace's inode and
// cookie in its record. ':' cannot occur in an interface name, so this never collides.
std::string netns_scope();

// Every network namespace this process can find: /run/netns, the namespaces of every
// process and thread in /proc, and nsfs mounts; inode -> a path that enters it.
// `complete` says whether that is every namespace on the machine as far as can be told:
// only in the initial PID namespace with all of /proc readable. A namespace held only by
// an open file or a socket of another process is not found (so prune leaves a record
// whose namespace cannot be found alone unless `complete`).
struct NetnsCensus {
	std::map<uint64_t, std::string> paths;
	bool complete = false;
};
NetnsCensus find_netns();

} // namespace netext::loader
