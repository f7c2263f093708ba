// The native backend's kernel side, as the loader drives it: netext.ko and the app
// modules (netext_app_NAME.ko), the eBPF stub object, and /dev/netext.
//
// Modules are looked up in one directory, the first of these that holds netext.ko:
//   $NETEXT_MODULE_DIR
//   <prefix>/<libdir>/netext/modules/<kernel release>, the prefix being where the
//       running program is installed (bin/netext → lib/...), then the configured one
//   <libdir>/netext/modules/<kernel release>    (installed)
//   <build tree>/kmod                           (built, not installed)
#pragma once

#include <cstdint>
#include <string>

namespace netext::loader::native {

// Throws netext::Error (Environment) naming why the running kernel cannot load modules
// (no module support, lockdown, modules_disabled).
void require_module_support();

// The running kernel's release (uname -r): what a module must be built for.
std::string release();

// The directory holding netext.ko and netext_stub.bpf.o; throws (NotFound) if none.
std::string module_dir();

// The module's name as the kernel knows it (netext_app_lb for .../netext_app_lb.ko).
bool module_loaded(const std::string &name);
// Loads path; throws naming the cause if the kernel refuses.
void load_module(const std::string &path);
// Unloads name, waiting briefly for references from freed programs to go; false if it
// is still in use.
bool unload_module(const std::string &name);

// /dev/netext
class Device {
public:
	Device(); // throws if netext.ko is not loaded
	~Device();
	Device(const Device &) = delete;
	Device &operator=(const Device &) = delete;

	// The slot of an app's program; throws (NotFound) if it is not registered.
	uint32_t slot(const std::string &app, const std::string &program) const;
	// 0 or -errno (ENOENT: the native app has no such map; EBUSY: bound already).
	int bind(const std::string &app, const std::string &map, int fd) const;
	int unbind(const std::string &app, const std::string &map) const;
	// Apps registered with netext.ko.
	uint32_t apps() const;

private:
	int fd_ = -1;
};

} // namespace netext::loader::native
