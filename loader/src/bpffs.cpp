#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <linux/magic.h>
#include <sstream>
#include <sys/file.h>
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

// The PIDs /proc/locks names as holding an flock on this inode.
std::string lock_holders(ino_t ino)
{
	std::ifstream locks("/proc/locks");
	std::string holders;
	for (std::string line; std::getline(locks, line);) {
		std::istringstream in(line);
		std::string n, kind, advisory, rw, pid, dev;
		in >> n >> kind;
		if (kind == "->")
			in >> kind;
		in >> advisory >> rw >> pid >> dev;
		if (kind == "FLOCK" && dev.ends_with(":" + std::to_string(ino)))
			holders += (holders.empty() ? "" : ", ") + pid;
	}
	return holders;
}

} // namespace

BpffsLock::BpffsLock(const std::string &root, Mode mode, const std::function<void()> &poll,
		     double timeout_s)
{
	fd_ = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd_ < 0)
		throw Error("cannot open " + root + " to lock it: " + std::strerror(errno),
			    ExitCode::Environment);
	const int op = (mode == Mode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
	timespec start{};
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(fd_, op) == 0)
			return;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int err = errno;
			close(fd_);
			throw Error("cannot lock " + root + ": " + std::strerror(err));
		}
		try {
			if (poll)
				poll();
		} catch (...) {
			close(fd_);
			throw;
		}
		timespec now{};
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (static_cast<double>(now.tv_sec - start.tv_sec) +
			    static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e9 >
		    timeout_s) {
			struct stat st {};
			fstat(fd_, &st);
			std::string holders = lock_holders(st.st_ino);
			close(fd_);
			throw Error("another netext command" +
					    (holders.empty() ? "" : " (pid " + holders + ")") +
					    " has been changing attachments for " +
					    std::to_string(static_cast<int>(timeout_s)) +
					    " s (it holds the lock on " + root +
					    "); wait for it to finish and try again",
				    ExitCode::Conflict);
		}
		timespec pause{0, 5 * 1000 * 1000};
		nanosleep(&pause, nullptr);
	}
}

BpffsLock::~BpffsLock()
{
	if (fd_ >= 0)
		close(fd_); // releases the flock
}

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
