// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/16_has_include_probe.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: __has_include / #include_next: includes the next
// <cstdint> on the path, then probes for a kernel header and includes it only when present (the
// module's build differs from the checker's). The native gate passes -DNETEXT_NATIVE; the corpus
// runs without it, so it is set here.
#include <netext/xdp.hpp>
#if __has_include(<linux/types.h>) && !defined(__clang__)
#include <linux/types.h>
#define HAVE_KERNEL_TYPES 1
#endif
using namespace netext;

NETEXT_XDP(has_include)
{
#ifdef HAVE_KERNEL_TYPES
	__u64 *p = reinterpret_cast<__u64 *>(0x1000);
	*p = 0;
#endif
	return XdpAction::Pass;
}
