// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
// Implicit padding: its bytes would be whatever the stack held (an information leak).
#include <netext/xdp.hpp>

using namespace netext;
#ifdef NETEXT_EXPECT_FAIL
struct Val { uint8_t flag; uint32_t count; };
#else
struct Val { uint8_t flag; array<uint8_t, 3> pad; uint32_t count; };
#endif
NETEXT_MAP(m, Array<Val, 4>);
NETEXT_XDP(prog) { Val v{}; m.update(0, v); return XdpAction::Pass; }
