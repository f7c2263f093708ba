// A test-only extension running the memcached request parser on the bytes after the
// Ethernet header, and storing what it found in `mc_result`, so host and kernel results
// can be compared (and the parser's cost to the verifier seen).
#include <netext/xdp.hpp>

using namespace netext;

struct McResult {
	uint32_t status;
	uint32_t cmd;
	uint32_t nkeys;
	uint32_t line_end;
	array<uint32_t, memcached::kMaxGetKeys> keys; // offset << 16 | length
	array<uint32_t, memcached::kMaxGetKeys> hashes;
};

NETEXT_MAP(mc_result, Array<McResult, 1>);
// The request is parsed into map memory, as apps do (see apps/bmc): 32 keys on the stack
// with variable-index stores cost the verifier far more.
NETEXT_MAP(mc_request, PerCpuArray<memcached::Request, 1>);

NETEXT_XDP(mcparse_xdp)
{
	PacketView v = ctx.packet();
	Ref<memcached::Request> rq = mc_request.lookup(0);
	Ref<McResult> r = mc_result.lookup(0);
	if (!rq || !r)
		return XdpAction::Aborted;
	memcached::Request &req = *rq;
	memcached::Status st = memcached::parse_request(v, 14, req);
	r->status = static_cast<uint32_t>(st);
	r->cmd = static_cast<uint32_t>(req.cmd);
	r->nkeys = req.nkeys;
	r->line_end = req.line_end;
	for (uint32_t i = 0; i < memcached::kMaxGetKeys; i++) {
		memcached::Key k = req.keys.at_or(i, memcached::Key{});
		r->keys.set(i, i < req.nkeys ? (uint32_t{k.off} << 16 | k.len) : 0);
		r->hashes.set(i, i < req.nkeys ? k.hash : 0);
	}
	return XdpAction::Pass;
}
