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

#include <string>

namespace netext::loader {

// Returns the bpffs root to pin under (e.g. /sys/fs/bpf); throws netext::Error naming
// the cause and the fix when no usable bpffs can be had.
std::string ensure_bpffs();

// Is path a mounted bpffs?
bool is_bpffs(const std::string &path);

} // namespace netext::loader
