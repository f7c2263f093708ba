// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// A struct holding a pointer that claims, through the tuple protocol, to hold an integer:
// a structured binding (and Boost.PFR) would believe it.
#include <netext/xdp.hpp>

#include <tuple>

using namespace netext;
struct Liar { uint64_t *p; };
#ifdef NETEXT_EXPECT_FAIL
template <> struct std::tuple_size<Liar> : std::integral_constant<std::size_t, 1> {};
template <> struct std::tuple_element<0, Liar> { using type = uint64_t; };
template <std::size_t I> uint64_t get(const Liar &) { return 0; }
NETEXT_MAP(m, Array<Liar, 4>);
#else
NETEXT_MAP(m, Array<uint64_t, 4>);
#endif
