// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
#ifdef NETEXT_EXPECT_FAIL
NETEXT_MAP(m, Hash<array<uint8_t, 513>, uint32_t, 4>);
#else
NETEXT_MAP(m, Hash<array<uint8_t, 512>, uint32_t, 4>);
#endif
