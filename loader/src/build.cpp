#include <netext/loader/app.hpp>
#include <netext/loader/build.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/native.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace netext::loader {

bool BuiltApp::has(const std::string &backend) const
{
	return std::find(backends.begin(), backends.end(), backend) != backends.end();
}

namespace {

std::string read_file(const fs::path &p)
{
	std::ifstream in(p);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// A C identifier short enough for the module name (netext_app_NAME, 55 bytes at most) and
// for BPF object and pin names.
void check_name(const std::string &name)
{
	bool ok = !name.empty() && name.size() <= 40 &&
		  (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
	for (char c : name)
		ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
			    std::isdigit(static_cast<unsigned char>(c)) || c == '_');
	if (!ok)
		throw Error(
			"'" + name +
				"' cannot name an app: use lower-case letters, digits and '_' "
				"(at most 40, not starting with a digit); choose one with --name",
			ExitCode::Usage);
	if (find_builtin_app(name))
		throw Error("'" + name +
				    "' is a built-in app's name (its native module would be taken "
				    "for this one); choose another with --name",
			    ExitCode::Usage);
}

// Runs argv with stdout and stderr appended to log; returns the exit status.
int run(const std::vector<std::string> &argv, const fs::path &log)
{
	int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		throw Error("cannot write " + log.string() + ": " + std::strerror(errno));
	std::string line = "$";
	for (const std::string &a : argv)
		line += " " + a;
	line += "\n";
	(void)!write(fd, line.data(), line.size());
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		std::vector<char *> args;
		args.reserve(argv.size() + 1);
		for (const std::string &a : argv)
			args.push_back(const_cast<char *>(a.c_str()));
		args.push_back(nullptr);
		execvp(args[0], args.data());
		std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
		_exit(127);
	}
	close(fd);
	if (pid < 0)
		throw Error(std::string("fork: ") + std::strerror(errno));
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool on_path(const std::string &tool)
{
	const char *path = std::getenv("PATH");
	std::stringstream ss(path ? path : "/usr/bin:/bin");
	std::string dir;
	while (std::getline(ss, dir, ':'))
		if (!dir.empty() && access((fs::path(dir) / tool).c_str(), X_OK) == 0)
			return true;
	return false;
}

// CMake's list separator is ';' and its strings are quoted: no path may hold either
// (or a newline or a '$', which CMake would expand).
std::string cmake_path(const fs::path &p)
{
	std::string s = p.string();
	if (s.find_first_of(";\"\\$\n") != std::string::npos)
		throw Error("cannot build from '" + s +
				    "': its path holds one of ; \" \\ $ or a newline; move it",
			    ExitCode::Usage);
	return s;
}

// Removes a directory tree on scope exit unless released.
struct TreeGuard {
	fs::path path;
	~TreeGuard()
	{
		std::error_code ec;
		if (!path.empty())
			fs::remove_all(path, ec);
	}
};

} // namespace

std::string cmake_package_dir()
{
	std::vector<fs::path> dirs;
	if (const char *env = std::getenv("NETEXT_CMAKE_DIR"); env && *env)
		dirs.emplace_back(env);
	// relative to this program (bin/netext → lib/cmake/netext): an installed netext
	// works from whatever prefix it was installed to
	std::error_code ec;
	fs::path exe = fs::canonical("/proc/self/exe", ec);
#ifdef NETEXT_INSTALL_LIBDIR
	if (!ec)
		dirs.push_back(exe.parent_path().parent_path() / NETEXT_INSTALL_LIBDIR / "cmake" /
			       "netext");
#endif
#ifdef NETEXT_INSTALL_CMAKE_DIR
	dirs.emplace_back(NETEXT_INSTALL_CMAKE_DIR);
#endif
	std::string tried;
	for (const fs::path &d : dirs) {
		if (fs::exists(d / "netextConfig.cmake"))
			return d.string();
		tried += (tried.empty() ? "" : ", ") + d.string();
	}
	throw Error("netext build needs netext's installed CMake package "
		    "(netextConfig.cmake); it is not in " +
			    tried +
			    ": install netext (cmake --install BUILD_DIR [--prefix DIR]) and run "
			    "the installed netext, or set NETEXT_CMAKE_DIR",
		    ExitCode::NotFound);
}

bool is_built_app_dir(const std::string &dir)
{
	std::error_code ec;
	return fs::is_regular_file(fs::path(dir) / kManifestName, ec);
}

BuiltApp read_built_app(const std::string &dir)
{
	fs::path d = fs::absolute(dir);
	fs::path m = d / kManifestName;
	if (!fs::is_regular_file(m))
		throw Error(d.string() + " is not a netext build directory (no " + kManifestName +
				    "; make one with 'netext build APP.cpp -o " + dir + "')",
			    ExitCode::NotFound);
	BuiltApp b;
	b.dir = d.string();
	try {
		json j = json::parse(read_file(m));
		b.name = j.at("name").get<std::string>();
		b.backends = j.at("backends").get<std::vector<std::string>>();
		b.object = (d / j.at("object").get<std::string>()).string();
		if (j.contains("module"))
			b.module = (d / j.at("module").get<std::string>()).string();
		b.kernel_release = j.value("kernel", "");
		b.sources = j.value("sources", std::vector<std::string>{});
		b.netext_version = j.value("netext", "");
	} catch (const json::exception &e) {
		throw Error(m.string() + " is damaged (" + e.what() +
			    "); build the app again with 'netext build'");
	}
	check_name(b.name);
	for (const std::string &f : {b.object, b.module})
		if (!f.empty() && !fs::is_regular_file(f))
			throw Error(f + " (named by " + m.string() +
					    ") is missing; build the app again with 'netext build'",
				    ExitCode::NotFound);
	if (b.has("native") && b.module.empty())
		throw Error(m.string() + " lists the native backend but no module; "
					 "build the app again with 'netext build'");
	return b;
}

namespace {

// The releases the installed netext has netext.ko for (netextNative.cmake's
// NETEXT_KERNEL_RELEASES; the first is its default), or none.
std::vector<std::string> installed_kernels(const std::string &pkg)
{
	std::vector<std::string> out;
	std::ifstream in(fs::path(pkg) / "netextNative.cmake");
	const std::string many = "set(NETEXT_KERNEL_RELEASES \"",
			  one = "\tset(NETEXT_KERNEL_RELEASE \"";
	std::string fallback;
	for (std::string line; std::getline(in, line);) {
		if (line.starts_with(many)) {
			std::stringstream ss(
				line.substr(many.size(), line.rfind('"') - many.size()));
			for (std::string r; std::getline(ss, r, ';');)
				if (!r.empty())
					out.push_back(r);
		} else if (line.starts_with(one) || line.starts_with(one.substr(1))) {
			std::string r = line.substr(line.find('"') + 1);
			fallback = r.substr(0, r.find('"'));
		}
	}
	if (out.empty() && !fallback.empty())
		out.push_back(fallback); // a netextNative.cmake from before NETEXT_KERNEL_RELEASES
	return out;
}

std::string joined(const std::vector<std::string> &v)
{
	std::string s;
	for (const std::string &x : v)
		s += (s.empty() ? "" : ", ") + x;
	return s.empty() ? "none" : s;
}

// The kernel a native module is built for: --kernel RELEASE, else the running kernel.
// Refuses a release without headers (naming the package) or without an installed netext.ko
// (naming the releases it has and how to add one): a module for another kernel than the
// one asked for is never built silently.
std::string native_kernel(const BuildRequest &req, const std::string &pkg)
{
	std::vector<std::string> have = installed_kernels(pkg);
	if (have.empty())
		throw Error(
			"this netext was installed without the native backend's modules (its "
			"build found no kernel headers); build with --backend ebpf, or reinstall "
			"netext on a machine with linux-headers-amd64",
			ExitCode::NotFound);
	std::string rel = req.kernel;
	if (rel.empty()) {
		rel = native::release();
		if (std::find(have.begin(), have.end(), rel) == have.end())
			throw Error(
				"this netext has no netext.ko for the running kernel " + rel +
					" (installed for: " + joined(have) +
					"); build for one of those with --kernel RELEASE, or "
					"rebuild and reinstall netext with its headers installed "
					"(apt-get install linux-headers-" +
					rel + "; cmake -DNETEXT_EXTRA_KERNELS=" + rel + ")",
				ExitCode::NotFound);
	}
	bool ok = !rel.empty() && rel.find_first_of("/ \t\n;\"\\$") == std::string::npos &&
		  rel != "." && rel != "..";
	if (!ok)
		throw Error("'" + rel + "' is not a kernel release (e.g. " + have[0] + ")",
			    ExitCode::Usage);
	if (!fs::exists(fs::path("/usr/src") / ("linux-headers-" + rel) / "Makefile"))
		throw Error("no headers for kernel " + rel + " (/usr/src/linux-headers-" + rel +
				    "): install them (Debian: apt-get install linux-headers-" +
				    rel + ")",
			    ExitCode::NotFound);
	if (std::find(have.begin(), have.end(), rel) == have.end())
		throw Error(
			"this netext has no netext.ko for kernel " + rel +
				" (installed for: " + joined(have) +
				"); choose one of those with --kernel, or rebuild and reinstall "
				"netext with cmake -DNETEXT_EXTRA_KERNELS=" +
				rel,
			ExitCode::NotFound);
	return rel;
}

} // namespace

BuiltApp build_app(const BuildRequest &req)
{
	if (req.sources.empty())
		throw Error("nothing to build (netext build APP.cpp [MORE.cpp...])",
			    ExitCode::Usage);
	std::vector<fs::path> sources;
	for (const std::string &s : req.sources) {
		fs::path p = fs::absolute(s).lexically_normal();
		if (!fs::is_regular_file(p))
			throw Error("no source file '" + s + "'", ExitCode::NotFound);
		std::string ext = p.extension().string();
		if (ext != ".cpp" && ext != ".cc" && ext != ".cxx")
			throw Error(
				"'" + s +
					"' is not a C++ source file (.cpp, .cc or .cxx); an app's "
					"headers are found next to its first source",
				ExitCode::Usage);
		cmake_path(p);
		sources.push_back(p);
	}
	std::string name = req.name.empty() ? sources[0].stem().string() : req.name;
	check_name(name);
	const bool native = req.backend == Backend::Native;
	fs::path out = fs::absolute(req.out_dir.empty() ? name + ".netext" : req.out_dir)
			       .lexically_normal();
	if (out.filename().empty())
		out = out.parent_path();
	if (fs::exists(out) &&
	    !(fs::is_directory(out) && (fs::is_empty(out) || is_built_app_dir(out.string()))))
		throw Error(out.string() +
				    " exists and is not a netext build directory; choose another "
				    "with -o DIR",
			    ExitCode::Conflict);
	for (const fs::path &s : sources)
		if (s.parent_path() == out)
			throw Error("the output directory " + out.string() +
					    " holds the app's sources; choose another with -o DIR",
				    ExitCode::Conflict);
	std::string pkg = cmake_package_dir();
	if (!native && !req.kernel.empty())
		throw Error(
			"--kernel is for the native backend's module (--backend native or both)",
			ExitCode::Usage);
	const std::string kernel = native ? native_kernel(req, pkg) : "";
	if (!on_path("cmake"))
		throw Error("netext build runs cmake, which is not installed (Debian: "
			    "apt-get install cmake)",
			    ExitCode::NotFound);
	if (!fs::exists(out.parent_path()))
		throw Error("no directory " + out.parent_path().string() +
				    " to put the build output in",
			    ExitCode::NotFound);

	// Everything happens in a scratch directory beside the output; the output is only
	// replaced once the whole build succeeded.
	std::string tmpl = out.string() + ".tmp-XXXXXX";
	if (!mkdtemp(tmpl.data()))
		throw Error("cannot create a scratch directory beside " + out.string() + ": " +
			    std::strerror(errno));
	TreeGuard scratch{tmpl};
	fs::path work = tmpl, project = work / "project", bin = work / "build",
		 stage = work / "out", log = work / "build.log";
	fs::create_directories(project);
	fs::create_directories(stage);
	{
		std::ofstream cm(project / "CMakeLists.txt");
		cm << "# Generated by netext build; do not edit.\n"
		      "cmake_minimum_required(VERSION 3.25)\n"
		      "project(netext_build_"
		   << name
		   << " LANGUAGES CXX)\n"
		      "find_package(netext REQUIRED CONFIG)\n"
		      "netext_add_extension("
		   << name << " APP_DIR \"" << cmake_path(sources[0].parent_path()) << "\" SOURCES";
		for (const fs::path &s : sources)
			cm << " \"" << s.string() << "\"";
		cm << (native ? " NATIVE" : "") << ")\n";
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = run({"cmake", "-S", project.string(), "-B", bin.string(),
		      "-DCMAKE_BUILD_TYPE=Release", "-Dnetext_DIR=" + pkg,
		      "-DNETEXT_KERNEL_RELEASE=" + kernel},
		     log);
	if (rc == 0)
		rc = run({"cmake", "--build", bin.string(), "-j",
			  std::to_string(std::max(1L, cpus))},
			 log);
	std::string output = read_file(log);
	if (rc != 0) {
		std::fputs(output.c_str(), stderr); // the diagnostics, before the error
		throw Error("building app '" + name +
			    "' failed (above: the build's output; an app the safe-subset checker "
			    "or the stack bound rejects says which rule, where, and the SDK way "
			    "to do it)");
	}
	if (req.verbose)
		std::fputs(output.c_str(), stdout);

	json j;
	j["name"] = name;
	j["object"] = name + ".bpf.o";
	j["backends"] = native ? json::array({"ebpf", "native"}) : json::array({"ebpf"});
	fs::copy_file(bin / (name + ".bpf.o"), stage / (name + ".bpf.o"));
	if (native) {
		std::string ko = "netext_app_" + name + ".ko";
		fs::copy_file(bin / ko, stage / ko);
		j["module"] = ko;
		j["kernel"] = kernel;
	}
	j["sources"] = json::array();
	for (const fs::path &s : sources)
		j["sources"].push_back(s.string());
#ifdef NETEXT_VERSION
	j["netext"] = NETEXT_VERSION;
#endif
	std::ofstream(stage / kManifestName) << j.dump(2) << "\n";

	// Swap the new output in; a previous build of the same app goes only now.
	if (fs::exists(out)) {
		fs::path old = work / "previous";
		fs::rename(out, old);
	}
	fs::rename(stage, out);
	return read_built_app(out.string());
}

} // namespace netext::loader
