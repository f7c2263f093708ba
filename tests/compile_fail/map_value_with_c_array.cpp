// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
struct Mac { uint8_t bytes[6]; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_MAP(m, Array<Mac, 4>);
#else
NETEXT_MAP(m, Array<MacAddr, 4>);
#endif
