// Describes an eBPF object with libnetext, and checks the SDK headers compile here.
#include <netext/byteorder.hpp>
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>

#include <cstdio>

static_assert(netext::be16::from_host(0x0800).host() == 0x0800);

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	try {
		netext::loader::AppDescriptor d = netext::loader::describe_object(argv[1]);
		for (const auto &h : d.hooks)
			std::printf("%s %s\n", netext::loader::to_string(h.hook),
				    h.program.c_str());
	} catch (const netext::Error &e) {
		std::fprintf(stderr, "%s\n", e.what());
		return 1;
	}
	return 0;
}
