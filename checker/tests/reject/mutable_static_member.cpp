// expect: mutable-global
#include <netext/xdp.hpp>

struct Stats {
	static inline uint64_t total = 0;
};

NETEXT_XDP(prog)
{
	Stats::total += 1;
	return netext::XdpAction::Pass;
}
