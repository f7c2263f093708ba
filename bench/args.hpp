// The benchmark tools' command lines: one walk over "--name [VALUE]" options for all of them.
#pragma once

#include <stdexcept>
#include <string>

namespace netext::bench {

// Calls on(option, value) for every option in argv, where value() takes the option's
// argument (usage "missing value for OPTION" if there is none). on returns false for an
// option it does not know (usage "unknown option OPTION"); a std::logic_error thrown while
// converting a value (std::stoul and friends) becomes usage "bad value for OPTION". usage
// must not return.
template <class Usage, class On>
void parse_args(int argc, char **argv, Usage usage, On on)
{
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto value = [&]() -> std::string {
			if (i + 1 >= argc)
				usage(("missing value for " + a).c_str());
			return argv[++i];
		};
		bool known = false;
		try {
			known = on(a, value);
		} catch (const std::logic_error &) {
			usage(("bad value for " + a).c_str());
		}
		if (!known)
			usage(("unknown option " + a).c_str());
	}
}

} // namespace netext::bench
