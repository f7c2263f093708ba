// Network namespaces: entering a named one (like `ip -n NAME`), and naming the current
// one for pin paths.
#pragma once

#include <string>

namespace netext::loader {

// Moves the calling thread into /run/netns/NAME until destroyed.
class NetnsScope {
public:
	explicit NetnsScope(const std::string &name);
	~NetnsScope();
	NetnsScope(const NetnsScope &) = delete;
	NetnsScope &operator=(const NetnsScope &) = delete;

private:
	int saved_ = -1;
};

// "" in the initial network namespace; otherwise "netns:NAME" (the name under
// /run/netns, or the namespace's inode number if it has none). ':' cannot occur in an
// interface name, so this never collides with one.
std::string netns_scope();

} // namespace netext::loader
