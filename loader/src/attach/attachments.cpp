// What is attached: the attachment records under the bpffs (in the current network
// namespace's scope), checked against the live interfaces and programs; a record's
// descriptor and pinned maps.
#include "plan.hpp"

#include <netext/loader/bpffs.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/bpf.h>

#include <algorithm>
#include <filesystem>
#include <net/if.h>
#include <tuple>
#include <unistd.h>

namespace fs = std::filesystem;

namespace netext::loader {

using namespace attach_steps;

namespace {
// Pins of attachments in named namespaces that no longer exist (`ip netns del` with an
// app still attached): their interfaces went with the namespace, and nobody can reach
// those pins to detach. Numbered (unnamed) namespaces are left alone: there is no cheap
// way to tell that one is gone.
void prune_vanished_namespaces(const std::string &root)
{
	std::error_code ec;
	for (const auto &d : fs::directory_iterator(root + "/netext", ec)) {
		std::string name = d.path().filename().string();
		if (!d.is_directory() || !name.starts_with("netns:"))
			continue;
		std::string ns = name.substr(6);
		bool numbered = !ns.empty() && std::all_of(ns.begin(), ns.end(), [](char c) {
			return c >= '0' && c <= '9';
		});
		if (numbered || fs::exists("/run/netns/" + ns, ec))
			continue;
		fs::remove_all(d.path(), ec);
	}
}
} // namespace

std::vector<Attachment> attachments(const std::string &ifname)
{
	std::string root = ensure_bpffs();
	prune_vanished_namespaces(root);
	std::string scope = netns_scope();
	std::string base = root + "/netext/" + (scope.empty() ? "" : scope + "/");
	std::vector<Attachment> out;
	std::error_code ec;
	if (!fs::is_directory(base, ec))
		return out;
	for (const auto &ifdir : fs::directory_iterator(base, ec)) {
		std::string name = ifdir.path().filename().string();
		if (!ifdir.is_directory() || name.starts_with("netns:") ||
		    (!ifname.empty() && name != ifname))
			continue;
		for (const auto &appdir : fs::directory_iterator(ifdir.path(), ec)) {
			Attachment a = read_record(appdir.path().string());
			uint32_t now = if_nametoindex(a.ifname.c_str());
			if (now != a.ifindex) {
				a.live = false;
				a.note = "interface " + a.ifname +
					 " is gone or was recreated (detach to clean up)";
			} else {
				for (const HookState &h : a.hooks) {
					int fd = bpf_prog_get_fd_by_id(h.prog_id);
					if (fd < 0) {
						a.live = false;
						a.note = std::string(to_string(h.hook)) +
							 " program was removed by someone else "
							 "(detach to clean up)";
					} else {
						close(fd);
					}
				}
			}
			out.push_back(std::move(a));
		}
	}
	std::sort(out.begin(), out.end(), [](const Attachment &x, const Attachment &y) {
		return std::tie(x.ifname, x.app) < std::tie(y.ifname, y.app);
	});
	return out;
}

AppDescriptor descriptor_of(const Attachment &a)
{
	if (a.source == Source::Builtin)
		if (const AppDescriptor *d = find_builtin_app(a.app))
			return *d;
	AppDescriptor d;
	d.name = a.app;
	for (const std::string &m : a.maps)
		d.maps.push_back({m, "", {}, {}});
	return d;
}

int open_pinned_map(const Attachment &a, const std::string &map)
{
	int fd = bpf_obj_get((a.pin_dir + "/" + map).c_str());
	if (fd < 0)
		throw Error("app '" + a.app + "' on " + a.ifname + " has no map '" + map +
				    "' (see 'netext map " + a.ifname + " " + a.app + " list')",
			    ExitCode::NotFound);
	return fd;
}

} // namespace netext::loader
