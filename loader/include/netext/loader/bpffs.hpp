// Where netext pins: a bpffs that every invocation of the CLI sees.
//
// Inside `ip netns exec` /sys is remounted in a private mount namespace and has no bpffs;
// a bpffs mounted there would be a new, private instance, gone with the process. So when
// /sys/fs/bpf is not a bpffs, netext uses the bpffs an ancestor process in another mount
// namespace sees (the shell that ran `ip netns exec`) through /proc/PID/root (a bind
// mount across mount namespaces is refused), and points libxdp there too; only if there
// is none does it mount a new bpffs.
// NETEXT_BPFFS overrides the location.
#pragma once

#include <functional>
#include <string>

namespace netext::loader {

// Returns the bpffs root to pin under (e.g. /sys/fs/bpf); throws netext::Error naming
// the cause and the fix when no usable bpffs can be had.
std::string ensure_bpffs();

// Is path a mounted bpffs?
bool is_bpffs(const std::string &path);

// Serialises the netext commands that change attachments (attach, detach, prune) and lets
// readers (status) see no half-made change: an flock on the bpffs root directory, which is
// one inode for every view of one bpffs instance (also through /proc/PID/root), and is never
// removed. Waits up to `timeout_s` seconds, calling `poll` (which may throw, e.g. on a
// signal) while it waits; then throws netext::Error (ExitCode::Conflict) naming the holder.
class BpffsLock {
public:
	enum class Mode { Shared, Exclusive };
	BpffsLock(const std::string &root, Mode mode, const std::function<void()> &poll = {},
		  double timeout_s = 120);
	~BpffsLock();
	BpffsLock(const BpffsLock &) = delete;
	BpffsLock &operator=(const BpffsLock &) = delete;

private:
	int fd_ = -1;
};

} // namespace netext::loader
