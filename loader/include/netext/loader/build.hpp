// Building a user's own app outside netext's source tree (`netext build`), and reading
// what a build left behind (`netext attach IFACE DIR`).
//
// A build generates a small CMake project that uses the installed netext package
// (find_package(netext), netext_add_extension()), so the app goes through exactly the
// pipeline of netext's own apps: clang-16 to eBPF with BTF names sanitised, and for the
// native backend netext-check, g++-12 with stack data, the static stack bound, and kbuild
// against the installed netext.ko's symbols. A rejected app leaves no output.
//
// The build directory holds:
//   netext-app.json          the manifest: name, backends, files, kernel release (native)
//   NAME.bpf.o               the eBPF object (also the native backend's map declarations)
//   netext_app_NAME.ko       with the native backend: the app's kernel module
#pragma once

#include <string>
#include <vector>

#include <netext/loader/attach.hpp>

namespace netext::loader {

inline constexpr const char *kManifestName = "netext-app.json";

struct BuildRequest {
	std::vector<std::string> sources; // C++ files, compiled as one translation unit
	std::string name;		  // default: the first source's stem
	// Native: the module too (with the eBPF object, which declares its maps)
	Backend backend = Backend::Ebpf;
	std::string out_dir; // default: ./NAME.netext
	// native: the kernel release the module is for (its headers installed, netext installed
	// with a netext.ko for it); default: the running kernel's, else netext's default one
	std::string kernel;
	bool verbose = false; // show the build's output also when it succeeds
};

struct BuiltApp {
	std::string dir; // absolute
	std::string name;
	std::vector<std::string> backends; // "ebpf", "native"
	std::string object;		   // absolute path of NAME.bpf.o
	std::string module;		   // absolute path of netext_app_NAME.ko, or ""
	std::string kernel_release;	   // what the module was built for, or ""
	std::vector<std::string> sources;
	std::string netext_version;

	[[nodiscard]] bool has(const std::string &backend) const;
};

// Builds; throws netext::Error naming the cause (a rejected app: the checker's or the
// compiler's diagnostics) and leaves the output directory as it was.
BuiltApp build_app(const BuildRequest &req);

// Reads DIR/netext-app.json; throws (NotFound) if DIR is not a netext build directory.
BuiltApp read_built_app(const std::string &dir);
// Whether DIR looks like a netext build directory.
bool is_built_app_dir(const std::string &dir);

// Where the installed CMake package is (netextConfig.cmake), or throws (NotFound).
std::string cmake_package_dir();

} // namespace netext::loader
