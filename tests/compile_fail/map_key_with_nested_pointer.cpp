// Must not compile with NETEXT_EXPECT_FAIL; must compile without (the control).
#include <netext/xdp.hpp>

using namespace netext;
struct Inner { const char *name; };
struct Key { uint32_t a; Inner in; };
#ifdef NETEXT_EXPECT_FAIL
NETEXT_MAP(m, LruHash<Key, uint64_t, 4>);
#else
NETEXT_MAP(m, LruHash<uint32_t, uint64_t, 4>);
#endif
