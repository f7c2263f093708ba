// expect: preprocessor
// An app macro named like an identifier the SDK uses changes the SDK's code when its
// header is read after it.
#define kIndexMask kIndexMask
#include <netext/array.hpp>
#include <netext/xdp.hpp>

NETEXT_XDP(prog)
{
	return netext::XdpAction::Pass;
}
