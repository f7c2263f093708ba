#include <netext/loader/error.hpp>
#include <netext/loader/native.hpp>

#include "uapi/netext.h"

#include <bpf/bpf.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace netext::loader::native {

namespace {

std::string read_line(const std::string &path)
{
	std::ifstream in(path);
	std::string line;
	std::getline(in, line);
	return line;
}

// "none [integrity] confidentiality": the bracketed mode is the active one.
bool locked_down()
{
	std::string s = read_line("/sys/kernel/security/lockdown");
	return !s.empty() && s.find("[none]") == std::string::npos;
}

std::string refusal(int err)
{
	const std::string fix = ": use --backend ebpf";
	if (err == ENOSYS)
		return "the running kernel cannot load modules (it has no module support)" + fix;
	if (locked_down())
		return "the running kernel does not allow loading modules (lockdown)" + fix;
	if (read_line("/proc/sys/kernel/modules_disabled") == "1")
		return "the running kernel does not allow loading modules "
		       "(kernel.modules_disabled=1)" +
		       fix;
	return "";
}

/*
 * libxdp 1.3 keeps program fds of multi-program handles after closing them (seen: the
 * stub and the dispatcher each open three times after attach, query and detach), so a
 * detached stub lives, holding netext.ko, until the process exits. By the time the
 * loader unloads netext.ko it owns no stub, so the fds still open on one are strays.
 */
void close_stub_fds()
{
	std::error_code ec;
	std::vector<int> fds;
	for (const auto &e : fs::directory_iterator("/proc/self/fd", ec)) {
		if (fs::read_symlink(e.path(), ec).string() == "anon_inode:bpf-prog")
			fds.push_back(std::atoi(e.path().filename().c_str()));
	}
	for (int fd : fds) {
		bpf_prog_info info{};
		uint32_t len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    (!std::strcmp(info.name, "netext_xdp") || !std::strcmp(info.name, "netext_tc")))
			close(fd);
	}
}

// The kernel release a module was built for: the first word of its vermagic (.modinfo), or
// "" when the file cannot be read or has none.
std::string module_release(const fs::path &ko)
{
	std::ifstream in(ko, std::ios::binary);
	std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	const std::string key = std::string("vermagic=");
	size_t at = data.find(key);
	if (at == std::string::npos)
		return "";
	at += key.size();
	size_t end = data.find_first_of(std::string(" \0", 2), at);
	return data.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

} // namespace

std::string release()
{
	utsname u{};
	uname(&u);
	return u.release;
}

void require_module_support()
{
	// /proc/modules exists only with CONFIG_MODULES
	std::string why = !fs::exists("/proc/modules") ? refusal(ENOSYS) : refusal(0);
	if (!why.empty())
		throw Error(why, ExitCode::Environment);
}

std::string module_dir()
{
	std::vector<std::string> dirs;
	if (const char *env = std::getenv("NETEXT_MODULE_DIR"); env && *env)
		dirs.emplace_back(env);
	// relative to this program (bin/netext → lib/netext/modules): installed anywhere
	std::error_code ec;
	fs::path exe = fs::canonical("/proc/self/exe", ec);
#ifdef NETEXT_INSTALL_LIBDIR
	if (!ec)
		dirs.push_back((exe.parent_path().parent_path() / NETEXT_INSTALL_LIBDIR / "netext" /
				"modules" / release())
				       .string());
#endif
#ifdef NETEXT_INSTALL_MODULE_DIR
	dirs.push_back(std::string(NETEXT_INSTALL_MODULE_DIR) + "/" + release());
#endif
#ifdef NETEXT_BUILD_MODULE_DIR
	// the build tree: kmod/<release>/ for the other kernels it built for, kmod/ for its
	// default one (taken only when its netext.ko was built for the running kernel)
	const std::string build_default = NETEXT_BUILD_MODULE_DIR;
	dirs.push_back(build_default + "/" + release());
	dirs.push_back(build_default);
#else
	const std::string build_default;
#endif
	std::string tried;
	for (const std::string &d : dirs) {
		bool found = fs::exists(d + "/netext.ko") && fs::exists(d + "/netext_stub.bpf.o");
		if (found && d == build_default && module_release(d + "/netext.ko") != release()) {
			tried += (tried.empty() ? "" : ", ") + d + " (built for " +
				 module_release(d + "/netext.ko") + ")";
			continue;
		}
		if (found)
			return d;
		tried += (tried.empty() ? "" : ", ") + d;
	}
	throw Error("the native backend's modules (netext.ko, netext_stub.bpf.o) are not "
		    "in " + (tried.empty() ? std::string("any known directory") : tried) +
			    "; set NETEXT_MODULE_DIR to where they are",
		    ExitCode::NotFound);
}

bool module_loaded(const std::string &name)
{
	return fs::exists("/sys/module/" + name + "/initstate");
}

void load_module(const std::string &path)
{
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw Error("cannot open " + path + ": " + std::strerror(errno),
			    ExitCode::NotFound);
	int rc = static_cast<int>(syscall(SYS_finit_module, fd, "", 0));
	int err = errno;
	close(fd);
	if (rc == 0 || err == EEXIST)
		return;
	std::string why = err == EPERM || err == ENOSYS ? refusal(err) : "";
	if (!why.empty())
		throw Error(why, ExitCode::Environment);
	throw Error("the kernel refused module " + path + ": " + std::strerror(err) +
		    (err == ENOEXEC || err == EINVAL
			     ? " (built for another kernel? this one is " + release() + ")"
			     : std::string(" (see dmesg)")));
}

bool unload_module(const std::string &name)
{
	if (name == "netext")
		close_stub_fds();
	// Freed stub programs drop their module reference after an RCU grace period.
	for (int i = 0; i < 300; i++) {
		if (syscall(SYS_delete_module, name.c_str(), O_NONBLOCK) == 0 || errno == ENOENT)
			return true;
		if (errno != EBUSY && errno != EAGAIN)
			return false;
		usleep(10000);
	}
	return false;
}

Device::Device()
{
	fd_ = open(NETEXT_DEV_PATH, O_RDONLY | O_CLOEXEC);
	if (fd_ < 0)
		throw Error(std::string("cannot open " NETEXT_DEV_PATH ": ") +
			    std::strerror(errno) + " (is netext.ko loaded?)");
}

Device::~Device()
{
	if (fd_ >= 0)
		close(fd_);
}

uint32_t Device::slot(const std::string &app, const std::string &program) const
{
	for (uint32_t s = 0; s < NETEXT_MAX_SLOTS; s++) {
		netext_prog_info info{};
		info.slot = s;
		if (ioctl(fd_, NETEXT_IOC_PROG_INFO, &info) == 0 && app == info.app &&
		    program == info.name)
			return info.slot; // the handle (slot and generation) the stub is given
	}
	throw Error("the native module of app '" + app + "' has no program '" + program +
			    "' (built from another version of the app?)",
		    ExitCode::NotFound);
}

namespace {
int map_ioctl(int fd, unsigned long cmd, const std::string &app, const std::string &map, int map_fd)
{
	netext_map_bind b{};
	if (app.size() >= sizeof(b.app) || map.size() >= sizeof(b.map))
		return -ENAMETOOLONG;
	std::memcpy(b.app, app.data(), app.size());
	std::memcpy(b.map, map.data(), map.size());
	b.fd = map_fd;
	return ioctl(fd, cmd, &b) == 0 ? 0 : -errno;
}
} // namespace

int Device::bind(const std::string &app, const std::string &map, int fd) const
{
	return map_ioctl(fd_, NETEXT_IOC_MAP_BIND, app, map, fd);
}

int Device::unbind(const std::string &app, const std::string &map) const
{
	return map_ioctl(fd_, NETEXT_IOC_MAP_UNBIND, app, map, -1);
}

uint32_t Device::apps() const
{
	netext_global_info g{};
	return ioctl(fd_, NETEXT_IOC_GLOBAL_INFO, &g) == 0 ? g.apps : 0;
}

} // namespace netext::loader::native
