// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
union Overlay { uint32_t a; uint8_t b[4]; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_MAP(m, PerCpuArray<Overlay, 4>);
#else
NETEXT_MAP(m, PerCpuArray<uint32_t, 4>);
#endif
