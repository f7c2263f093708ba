// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
struct WithPointer { uint32_t a; int *p; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_MAP(m, Hash<uint32_t, WithPointer, 4>);
#else
NETEXT_MAP(m, Hash<uint32_t, uint32_t, 4>);
#endif
