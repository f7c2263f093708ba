#include "lib_log.hpp"

#include <netext/loader/error.hpp>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

namespace netext::loader {

namespace {

std::recursive_mutex g_mutex;
std::string *g_target = nullptr;

int from_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG || g_target == nullptr)
		return 0;
	return append_formatted(*g_target, fmt, args);
}

int from_libxdp(enum libxdp_print_level level, const char *fmt, va_list args)
{
	if (level == LIBXDP_DEBUG || g_target == nullptr)
		return 0;
	return append_formatted(*g_target, fmt, args);
}

} // namespace

LibLog::LibLog(std::string &out) : lock_(g_mutex), previous_(g_target)
{
	g_target = &out;
	libbpf_set_print(from_libbpf);
	libxdp_set_print(from_libxdp);
}

LibLog::~LibLog()
{
	g_target = previous_;
}

} // namespace netext::loader
