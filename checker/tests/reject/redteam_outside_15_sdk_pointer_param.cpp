// expect: raw-pointer
// flags: -DNETEXT_NATIVE
// Red team (issue 19), outside/15_sdk_pointer_param.cpp, accepted by netext-check at 64df7b4b56
// (11:49 UTC) and compiled by the native flags. outside: the SDK's
// netext::memcached::key_hash(const char *p, len) takes a raw pointer; the app passes a string
// literal (implicit decay, no pointer spelled) and a packet length: reads kernel memory past the
// literal, the hash leaks it. The native gate passes -DNETEXT_NATIVE; the corpus runs without it,
// so it is set here.
#include <netext/xdp.hpp>
using namespace netext;

NETEXT_XDP(sdk_raw_param)
{
	PacketView v = ctx.packet();
	uint32_t len = 0;
	if (!v.load(14, len))
		return XdpAction::Pass;
	uint32_t h = memcached::key_hash("k", len); // up to 4 GiB past a 2-byte literal
	(void)v.store(14, h);
	return XdpAction::Tx;
}
