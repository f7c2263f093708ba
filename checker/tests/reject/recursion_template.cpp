// expect: recursion generic-code
// Recursion through a template instantiation and an operator overload.
#include <netext/xdp.hpp>

struct Num {
	uint32_t v;
};

template <typename T>
T dec(T x);

static Num operator-(Num a, uint32_t b)
{
	return a.v > b ? dec(Num{a.v - b}) : Num{0};
}

template <typename T>
T dec(T x)
{
	return x - 1u;
}

NETEXT_XDP(prog)
{
	return dec(Num{5}).v ? netext::XdpAction::Pass : netext::XdpAction::Drop;
}
