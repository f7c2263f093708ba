// The LB fuzz target links the control plane's source (apps/lb/control) but not libnetext:
// the functions it calls only for a live attachment (Balancer::open, the pinned maps) are
// these, which the target never reaches (it drives the host backend's maps).
#include <netext/loader/attach.hpp>
#include <netext/loader/object.hpp>

#include <cstdio>
#include <cstdlib>

namespace netext::loader {

namespace {
[[noreturn]] void unreachable(const char *what)
{
	std::fprintf(stderr, "lb fuzz target: %s is not available on the host backend\n", what);
	std::abort();
}
} // namespace

std::vector<Attachment> attachments(const std::string & /*ifname*/)
{
	unreachable("attachments");
}
int open_pinned_map(const Attachment & /*a*/, const std::string & /*map*/)
{
	unreachable("open_pinned_map");
}
std::vector<uint64_t> map_u64_sums(int /*map_fd*/, uint32_t /*index*/, std::size_t /*fields*/)
{
	unreachable("map_u64_sums");
}
int possible_cpus()
{
	unreachable("possible_cpus");
}

} // namespace netext::loader
