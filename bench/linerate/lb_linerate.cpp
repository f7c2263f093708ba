// netext-bench-linerate --app lb: established-flow packets forwarded per second.
#include <netext/loader/error.hpp>

#include "linerate_common.hpp"

namespace netext::bench::linerate {

int run_lb(const Settings &)
{
	throw Error("--app lb: not built yet", ExitCode::Usage);
}

} // namespace netext::bench::linerate
