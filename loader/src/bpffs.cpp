#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace netext::loader {

namespace {

constexpr const char *kDefault = "/sys/fs/bpf";

pid_t parent_of(pid_t pid)
{
	std::ifstream status("/proc/" + std::to_string(pid) + "/status");
	std::string key;
	while (status >> key) {
		if (key == "PPid:") {
			pid_t ppid = 0;
			status >> ppid;
			return ppid;
		}
		status.ignore(4096, '\n');
	}
	return 0;
}

std::string mount_ns(pid_t pid)
{
	char buf[64] = {};
	std::string link = "/proc/" + std::to_string(pid) + "/ns/mnt";
	ssize_t n = readlink(link.c_str(), buf, sizeof(buf) - 1);
	return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

// The bpffs an ancestor in another mount namespace sees at /sys/fs/bpf, if any.
std::string ancestor_bpffs()
{
	std::string own = mount_ns(getpid());
	for (pid_t p = getppid(); p > 1; p = parent_of(p)) {
		std::string ns = mount_ns(p);
		std::string path = "/proc/" + std::to_string(p) + "/root" + kDefault;
		if (!ns.empty() && ns != own && is_bpffs(path))
			return path;
	}
	return "";
}

} // namespace

bool is_bpffs(const std::string &path)
{
	struct statfs st {};
	return statfs(path.c_str(), &st) == 0 &&
	       static_cast<unsigned long>(st.f_type) == BPF_FS_MAGIC;
}

std::string ensure_bpffs()
{
	const char *env = std::getenv("NETEXT_BPFFS");
	std::string root = env && *env ? env : kDefault;
	if (is_bpffs(root))
		return root;
	if (root == kDefault) {
		// A bind mount from another mount namespace is refused, so use the
		// ancestor's view of it by path (/proc/PID/root/...), and tell libxdp too.
		std::string shared = ancestor_bpffs();
		if (!shared.empty()) {
			setenv("LIBXDP_BPFFS", shared.c_str(), 0);
			return shared;
		}
	}
	mkdir(root.c_str(), 0700);
	if (mount("bpf", root.c_str(), "bpf", 0, "mode=0700") == 0 && is_bpffs(root))
		return root;
	int err = errno;
	throw Error("no usable bpffs at " + root + ": cannot mount one (" + std::strerror(err) +
			    "); mount it yourself with 'mount -t bpf bpf " + root +
			    "', or set NETEXT_BPFFS to a bpffs mount point",
		    ExitCode::Environment);
}

} // namespace netext::loader
