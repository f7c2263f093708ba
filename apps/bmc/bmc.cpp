// bmc: memcached's UDP GETs answered from XDP, filled from memcached's own answers at tc
// egress, invalidated by every request that can change a key. See bmc.hpp for the maps
// and the consistency scheme, README "BMC" for the behaviour.
//
//   bmc_rx (XDP):  UDP get/gets to `port`, every key cached -> the reply, built in place,
//                  XDP_TX. A miss passes the request untouched (and leases its keys).
//                  TCP (and non-GET UDP) requests to `port` invalidate what they may change,
//                  each TCP connection followed as memcached reads it (bmc.hpp, TCP streams).
//   bmc_tx (tc egress): memcached's UDP answers ("VALUE ...") fill leased entries; its
//                  SYN-ACKs start following a TCP connection.
#include <netext/tc.hpp>
#include <netext/xdp.hpp>

#include "bmc.hpp"

using namespace netext;
using namespace netext::bmc;
namespace mc = netext::memcached;

// The cache: memcached's answer for a key, one entry per slot (slot_of the key's hash).
NETEXT_MAP(bmc_cache, Array<Entry, kDefaultEntries>);
// The whole cache's generation and invalidation time (flush_all, unfollowable requests).
NETEXT_MAP(bmc_global, Array<Global, 1>);
// Per-CPU working memory of a GET (more than the stack holds).
NETEXT_MAP(bmc_scratch, PerCpuArray<Scratch, 1>);
// Per-CPU counters, one per Stat (kStatNames): what `netext stats` shows.
NETEXT_MAP(bmc_stats, PerCpuArray<uint64_t, kStats>);
// The TCP connections followed (from their SYN-ACK): where each one's next command starts.
NETEXT_MAP(bmc_flows, Array<Flow, kFlowSlots>);

NETEXT_CONFIG(uint16_t, port, kDefaultPort);		  // memcached's UDP and TCP port
NETEXT_CONFIG(uint32_t, entries, kDefaultEntries);	  // cache slots (sizes bmc_cache too)
NETEXT_CONFIG(uint32_t, value_limit, kDefaultValueLimit); // largest value cached, bytes
NETEXT_CONFIG(uint32_t, grace_ms, kDefaultGraceMs);   // no lease this soon after an invalidation
NETEXT_CONFIG(uint32_t, max_reply, kDefaultMaxReply); // largest IP packet a hit sends

namespace {

inline constexpr uint8_t kReplyTtl = 64;

// What the parse found, handed to the parts the verifier checks on their own
// (NETEXT_*_FUNCTION); they re-check every offset they use.
struct Where {
	uint32_t l3_off;
	uint32_t l4_off;
	uint32_t payload_off; // of the UDP/TCP payload
	uint32_t end;	      // of the IP datagram
	uint32_t ipv6;	      // 0 for IPv4
	uint32_t seq;	      // TCP: the segment's sequence number
};

NETEXT_INLINE Where where_of(const PacketInfo &info)
{
	return Where{info.l3_off,
		     info.l4info.off,
		     info.l4info.payload_off,
		     info.l3_end,
		     info.l3 == L3::Ipv6 ? 1u : 0u,
		     0};
}

NETEXT_INLINE void bump(Stat s)
{
	if (Ref<uint64_t> c = bmc_stats.lookup(s))
		*c += 1;
}

NETEXT_INLINE uint32_t slot_of(uint32_t hash)
{
	return bmc::slot_of(hash, entries);
}

// Is the key at v[off, off + len) the one the entry holds (len == e.key_len checked)?
// Eight bytes at a time; the last partial word is compared as the 8 bytes ending at the
// key's end, so no byte outside either key is read.
NETEXT_INLINE bool key_equal(const PacketView &v, uint32_t off, uint32_t len, const Entry &e)
{
	uint32_t i = 0;
	for (uint32_t k = 0; k < mc::kMaxKeyLen / 8; k++, i += 8) {
		if (i + 8 > len)
			break;
		uint64_t a = 0, b = 0;
		if (!v.load(off + i, a) || !e.text.load<uint64_t, kHeadMask>(kKeyOff + i, b) ||
		    a != b)
			return false;
	}
	if (i == len)
		return true;
	if (len >= 8) {
		uint64_t a = 0, b = 0;
		return v.load(off + len - 8, a) &&
		       e.text.load<uint64_t, kHeadMask>(kKeyOff + len - 8, b) && a == b;
	}
	for (uint32_t k = 0; k < 8; k++, i++) {
		if (i >= len)
			break;
		uint8_t b = 0;
		if (!e.text.load<uint8_t, kHeadMask>(kKeyOff + i, b) || v.byte(off + i) != b)
			return false;
	}
	return true;
}

// The client's address folded to 32 bits (source of a request, destination of an answer).
NETEXT_INLINE uint32_t client_digest(const PacketView &v, const Where &w, bool source)
{
	uint32_t d = 0;
	if (w.ipv6 == 0) {
		return v.load(w.l3_off + (source ? 12u : 16u), d) ? d : 0;
	}
	uint32_t base = w.l3_off + (source ? 8u : 24u);
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t word = 0;
		if (v.load(base + i * 4, word))
			d = (d ^ word) * 0x9e3779b1u;
	}
	return d;
}

// Binds a lease to one request: which client, which port, which request id, which key.
NETEXT_INLINE uint32_t lease_tag(uint32_t key_hash, uint32_t client, be16 cport, be16 request_id)
{
	uint32_t t = key_hash ^ (client * 0x9e3779b1u) ^
		     ((static_cast<uint32_t>(cport.raw()) << 16 | request_id.raw()) * 0x85ebca6bu);
	t ^= t >> 15;
	t *= 0x2c1b3c6du;
	t ^= t >> 12;
	return t;
}

// Invalidations are time-stamped in ticks (tick_now(): a load, where a clock read is a
// helper call). A lease needs grace_ms to have passed for certain since the stamp: n
// ticks later, at least n - 1 ticks have.
NETEXT_INLINE bool grace_over(uint64_t now, uint64_t stamp)
{
	uint64_t ticks = now - stamp;
	return ticks > 0xffffffffu || // a tick is at most 10 ms: years ago
	       ticks * tick_ns() >= static_cast<uint64_t>(grace_ms) * 1'000'000u + tick_ns();
}

// ---- invalidation ------------------------------------------------------------------------

NETEXT_INLINE void flush_everything()
{
	if (Ref<Global> g = bmc_global.lookup(0)) {
		atomic_fetch_add(g->gen, 1u);
		atomic_write(g->inval_tick, tick_now());
	}
	bump(Invalidations);
	bump(Flushes);
}

NETEXT_INLINE void invalidate_key(mc::Key k)
{
	if (Ref<Entry> e = bmc_cache.lookup(slot_of(k.hash))) {
		atomic_fetch_add(e->gen, 1u);
		atomic_write(e->inval_tick, tick_now());
	}
	bump(Invalidations);
}

// ---- TCP streams (bmc.hpp) ---------------------------------------------------------------

// A connection's client end and its slot in bmc_flows.
struct FlowId {
	array<uint32_t, 4> addr;
	uint32_t port;
	uint32_t slot;
};

// The client end of a TCP segment: its source (a request) or its destination (memcached's
// SYN-ACK).
NETEXT_INLINE bool flow_id(const PacketView &v, const Where &w, bool source, FlowId &id)
{
	Ref<TcpHdr> tcp = v.get<TcpHdr>(w.l4_off);
	if (!tcp)
		return false;
	id.port = (source ? tcp->source : tcp->dest).raw();
	bool ok = true;
	if (w.ipv6 == 0) {
		uint32_t a = 0;
		ok = v.load(w.l3_off + (source ? 12u : 16u), a);
		id.addr.set(2, hton32(0xffffu).raw()); // ::ffff:a.b.c.d
		id.addr.set(3, a);
	} else {
		uint32_t base = w.l3_off + (source ? 8u : 24u);
		for (uint32_t i = 0; i < 4; i++) {
			uint32_t a = 0;
			ok = ok && v.load(base + i * 4, a);
			id.addr.set(i, a);
		}
	}
	uint32_t h = id.port * 0x9e3779b1u;
	for (uint32_t i = 0; i < 4; i++)
		h = (h ^ id.addr.at_or(i, 0)) * 0x9e3779b1u;
	static_assert(kFlowSlots == 1u << 16);
	id.slot = h >> 16;
	return ok;
}

// The connection's slot, held by this CPU until unlock_flow(); empty if another CPU holds
// it (never waited for: the caller flushes instead). `mode` gets the connection's mode;
// while held the slot says Lost, so a program that faults before unlock_flow (the native
// runtime then releases the lock) leaves the connection unfollowed, never half-updated.
NETEXT_INLINE Ref<Flow> lock_flow(uint32_t slot, uint32_t &mode)
{
	Ref<Flow> f = bmc_flows.lookup(slot);
	if (!f || !try_lock(f->lock))
		return Ref<Flow>{};
	mode = f->mode;
	f->mode = Lost;
	return f;
}

// Releases the slot, the connection left in `mode`.
NETEXT_INLINE void unlock_flow(Flow &f, uint32_t mode)
{
	f.mode = mode;
	unlock(f.lock);
}

struct IsNewline {
	static constexpr bool match(uint8_t b) noexcept { return b == '\n'; }
};

// The '\n' ending the line that goes on at `from` (memcached ends a line there, whatever
// came before): its offset; `end` if the line goes on past the segment; 0 if it is longer
// than any line BMC follows (the longest GET).
NETEXT_INLINE uint32_t line_end_at(const PacketView &v, uint32_t from, uint32_t end)
{
	uint32_t to = end - from > mc::kMaxLineLen ? from + mc::kMaxLineLen : end;
	uint32_t nl = v.scan<IsNewline, mc::kMaxLineLen>(from, to);
	if (nl < to)
		return nl;
	return to == end ? end : 0;
}

// One command of a TCP segment: where it starts and where the segment ends.
struct Span {
	uint32_t off;
	uint32_t end;
};

// A line at args.off BMC does not take, or one going on in the next segment (bmc_command's
// result in the scratch). memcached ends it at its first '\n'; what it may change depends
// on its command word alone -- unless it is a storage line (whose data block's length BMC
// could not read) or a command BMC does not know (a meta command may have a data block):
// those lose the framing. memcached's read-only commands (stats, version, verbosity, quit,
// mn: mc::detail::read_only_at) change nothing: a monitoring client costs no hits.
// Verified on its own.
NETEXT_XDP_FUNCTION(bmc_other_line, Span)
{
	PacketView v = ctx.packet();
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	uint32_t wlen = 0;
	mc::Command cmd = mc::detail::command_at(v, args.off, wlen);
	if (cmd == mc::Command::Unknown && !mc::detail::read_only_at(v, args.off, wlen))
		return XdpAction::Pass; // Lost
	if (!scr || mc::stores(cmd) || args.off + wlen >= args.end)
		return XdpAction::Pass; // Lost
	bool modifying = mc::modifies(cmd);
	if (modifying)
		flush_everything(); // a key BMC could not read
	uint32_t nl = line_end_at(v, args.off, args.end);
	if (nl == args.end)
		scr->step.mode = modifying ? InLineModifying : InLine;
	else if (nl != 0)
		scr->step = StepResult{nl + 1, 0, 0, Synced};
	return XdpAction::Pass;
}

// The command at args.off: invalidates what it may change; leaves in the scratch's `step`
// where the next one starts (past its data block), or why the segment stops here: a data
// block or a line going on in the next segment, or what BMC cannot follow (Lost).
// Verified on its own, once, whichever command of the segment it reads.
NETEXT_XDP_FUNCTION(bmc_command, Span)
{
	PacketView v = ctx.packet();
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr)
		return XdpAction::Pass;
	StepResult &out = scr->step;
	out = StepResult{args.end, 0, 0, Lost};
	if (args.off >= args.end || args.end > v.size())
		return XdpAction::Pass;
	if (mc::parse_request(v, args.off, scr->req) == mc::Status::Ok &&
	    scr->req.line_end + 2 <= args.end) {
		mc::Command cmd = scr->req.cmd;
		mc::Key k = scr->req.keys.at_or(0, mc::Key{});
		uint32_t next = scr->req.line_end + 2;
		if (cmd == mc::Command::FlushAll)
			flush_everything();
		else if (mc::modifies(cmd))
			invalidate_key(k);
		out.mode = Synced;
		if (mc::stores(cmd)) {
			uint32_t data_end = next + scr->req.data_len + 2; // <= INT_MAX + 64K
			if (data_end > args.end) {
				out.data_end = data_end;
				out.pend_hash = k.hash;
				return XdpAction::Pass;
			}
			next = data_end;
		}
		out.next = next;
		return XdpAction::Pass;
	}
	bmc_other_line(ctx, args);
	return XdpAction::Pass;
}

// A segment's commands, read in order from `off` as memcached reads them.
struct StreamState {
	XdpContext &ctx;
	uint32_t off;	    // the next command
	uint32_t end;	    // of the segment
	uint32_t data_end;  // not 0: a data block goes on past the segment, up to here
	uint32_t pend_hash; // the key it stores
	uint32_t mode;	    // FlowMode the segment leaves the connection in
};

NETEXT_INLINE long command_step([[maybe_unused]] uint64_t index, StreamState &s)
{
	if (s.off >= s.end)
		return 1;
	bmc_command(s.ctx, Span{s.off, s.end});
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr) {
		s.mode = Lost;
		return 1;
	}
	StepResult r = scr->step;
	s.mode = r.mode;
	s.data_end = r.data_end;
	s.pend_hash = r.pend_hash;
	if (r.mode != Synced || r.data_end != 0 || r.next <= s.off)
		return 1;
	s.off = r.next;
	return 0;
}

// Every command from s.off to s.end (each step takes a line at least: as many steps as
// bytes is enough). Lost if one BMC cannot follow stops them before the end.
NETEXT_INLINE void follow_commands(StreamState &s)
{
	loop<command_step>(s.end - s.off, s);
	if (s.mode == Synced && s.data_end == 0 && s.off < s.end)
		s.mode = Lost;
}

// Leaves the connection's slot unfollowable: this segment and every later one flush.
NETEXT_INLINE XdpAction lose(Flow &f)
{
	unlock_flow(f, Lost);
	flush_everything();
	return XdpAction::Pass;
}

// A TCP segment to memcached, [payload_off, end) at sequence number seq, on a connection
// BMC follows from its start: every command in it invalidates what it may change, and the
// connection's slot records where the next command starts. Anything else flushes.
NETEXT_XDP_FUNCTION(bmc_stream, Where)
{
	PacketView v = ctx.packet();
	FlowId id{};
	if (args.end > v.size() || !flow_id(v, args, true, id)) {
		flush_everything();
		return XdpAction::Pass;
	}
	uint32_t mode = Lost;
	Ref<Flow> f = lock_flow(id.slot, mode);
	if (!f) {
		flush_everything();
		return XdpAction::Pass;
	}
	if (!(f->client == id.addr) || f->cport != id.port) {
		unlock_flow(*f, mode);
		flush_everything(); // a connection BMC did not see start (or lost its slot)
		return XdpAction::Pass;
	}
	// A retransmission, a gap: what memcached reads now is not what BMC read.
	if (mode == Lost || args.seq != f->next_seq)
		return lose(*f);
	uint32_t len = args.end - args.payload_off;
	StreamState s{ctx, opaque(args.payload_off), args.end, opaque(0u), 0, opaque(0u)};
	uint32_t in_block = f->cmd_seq - args.seq;
	if (mode == Synced && in_block != 0) {
		// A data block goes on: memcached stores it when its last byte comes.
		invalidate_key(mc::Key{0, 0, f->pend_hash});
		if (in_block >= len) {
			f->next_seq = args.seq + len;
			unlock_flow(*f, mode);
			return XdpAction::Pass;
		}
		s.off += in_block;
	}
	if (mode == InLine || mode == InLineModifying) {
		if (mode == InLineModifying)
			flush_everything(); // memcached runs it once its line ends
		uint32_t nl = line_end_at(v, s.off, s.end);
		if (nl == 0)
			return lose(*f);
		if (nl == s.end) {
			f->next_seq = args.seq + len;
			unlock_flow(*f, mode);
			return XdpAction::Pass;
		}
		s.off = nl + 1;
	}
	follow_commands(s);
	if (s.mode == Lost)
		return lose(*f);
	f->next_seq = args.seq + len;
	f->cmd_seq = s.data_end != 0 ? args.seq + (s.data_end - args.payload_off) : f->next_seq;
	f->pend_hash = s.pend_hash;
	unlock_flow(*f, s.mode);
	return XdpAction::Pass;
}

// ---- GET ---------------------------------------------------------------------------------

struct GetState {
	PacketView v;
	uint64_t now;  // tick_now()
	uint32_t ggen; // global generation
	uint32_t client;
	be16 cport;
	be16 request_id;
	bool gets;
	bool lease_ok; // the whole cache was not flushed within the grace period
	bool miss;
	uint32_t len; // of the reply text so far
	uint32_t sum; // its checksum
};

NETEXT_INLINE void add_piece(GetState &st, uint32_t len, uint16_t sum)
{
	st.sum += csum::at_offset(sum, st.len);
	st.len += len;
}

// A key missed: its slot leased to this request, unless it (or the whole cache) was
// invalidated within the grace period.
NETEXT_INLINE void grant_lease(Entry &e, uint32_t h, uint32_t epoch, const GetState &st)
{
	if (st.lease_ok && grace_over(st.now, atomic_read(e.inval_tick)))
		atomic_write(e.lease,
			     static_cast<uint64_t>(lease_tag(h, st.client, st.cport, st.request_id))
					     << 32 |
				     epoch);
}

// What a GET's keys are looked up with: the clock, the generation, the client.
NETEXT_INLINE bool start_get(const PacketView &v, const Where &info, const Global &g,
			     be16 request_id, bool gets, GetState &st)
{
	Ref<UdpHdr> udp = v.get<UdpHdr>(info.l4_off);
	if (!udp)
		return false;
	st.v = v;
	st.now = tick_now();
	st.ggen = atomic_read(g.gen);
	st.client = client_digest(v, info, true);
	st.cport = udp->source;
	st.request_id = request_id;
	st.gets = gets;
	st.lease_ok = grace_over(st.now, atomic_read(g.inval_tick));
	st.miss = opaque(false); // changed by the steps: see opaque()
	st.len = opaque(0u);
	st.sum = opaque(0u);
	return true;
}

// Pass 1, one key per step: is it cached, valid, the same key? Records the slot and its
// seqlock value for pass 2, and adds the key's answer to the reply's size and checksum. A
// key that misses gets a lease, so that memcached's answer may fill its slot.
NETEXT_INLINE long lookup_step(uint64_t index, GetState &st)
{
	auto i = static_cast<uint32_t>(index);
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr) {
		st.miss = true;
		return 1;
	}
	mc::Key k = scr->req.keys.at_or(i, mc::Key{});
	uint32_t h = k.hash;
	uint32_t slot = slot_of(h);
	Ref<Entry> e = bmc_cache.lookup(slot);
	if (!e) {
		st.miss = true;
		return 1;
	}
	uint32_t seq = atomic_read(e->seq);
	uint32_t epoch = atomic_read(e->gen) + st.ggen;
	bool hit = (seq & 1) == 0 && e->filled != 0 && e->epoch == epoch && e->hash == h &&
		   e->key_len == k.len && (!st.gets || e->cas_len > 0) &&
		   key_equal(st.v, k.off, k.len, *e);
	if (!hit) {
		st.miss = true;
		grant_lease(*e, h, epoch, st);
		return 0; // lease the other keys that miss too
	}
	if (st.miss)
		return 0;
	scr->slot.set(i, slot);
	scr->seq.set(i, seq);
	add_piece(st, e->head_len, e->sum_head);
	if (st.gets)
		add_piece(st, e->cas_len, e->sum_cas);
	add_piece(st, e->tail_len, e->sum_tail);
	return 0;
}

struct CopyState {
	XdpContext &ctx;
	uint32_t pos;
	bool gets;
	bool torn;
};

// Pass 2, one key per step: copies the entry's answer into the reply, then checks that
// no fill wrote the entry meanwhile (its seqlock value unchanged).
NETEXT_INLINE long copy_step(uint64_t index, CopyState &st)
{
	auto i = static_cast<uint32_t>(index);
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr) {
		st.torn = true;
		return 1;
	}
	Ref<Entry> e = bmc_cache.lookup(scr->slot.at_or(i, 0xffffffffu));
	if (!e) {
		st.torn = true;
		return 1;
	}
	uint32_t head = e->head_len, cas = e->cas_len, tail = e->tail_len;
	uint32_t cas_out = st.gets ? cas : 0;
	uint32_t total = head + cas_out + tail;
	bool ok = false;
	if (cas_out == cas && total <= kTailMask + 1) // the answer as stored: one copy
		ok = st.ctx.store_bytes<0, kTailMask>(st.pos, e->text, 0, total);
	else // a gets answer for a get: without the cas
		ok = st.ctx.store_bytes<0, kHeadMask>(st.pos, e->text, 0, head) &&
		     st.ctx.store_bytes<kHeadMask, kTailMask>(st.pos + head, e->text, head + cas,
							      tail);
	if (!ok || atomic_read(e->seq) != scr->seq.at_or(i, 1)) {
		st.torn = true;
		return 1;
	}
	st.pos += total;
	return 0;
}

template <class T>
NETEXT_INLINE void swap_fields(T &a, T &b)
{
	T t = a;
	a = b;
	b = t;
}

// "END\r\n" as a checksum piece.
inline constexpr uint16_t kEndSum = csum::fold(0x454e + 0x440d + 0x0a00);

// Turns the request (headers as parsed, text at text_off) into the reply of new_size bytes
// whose text is already written: addresses and ports swapped, lengths and checksums set.
NETEXT_INLINE bool finish_reply(XdpContext &ctx, const Where &info, uint32_t new_size,
				uint32_t text_sum, be16 request_id)
{
	PacketView w = ctx.packet();
	Ref<EthHdr> eth = w.get<EthHdr>(0);
	Ref<UdpHdr> udp = w.get<UdpHdr>(info.l4_off);
	if (!eth || !udp)
		return false;
	swap_fields(eth->src, eth->dst);
	swap_fields(udp->source, udp->dest);
	uint32_t udp_len = new_size - info.l4_off;
	udp->len = be16::from_host(static_cast<uint16_t>(udp_len));
	uint32_t pseudo = 0;
	if (info.ipv6 == 0) {
		Ref<Ipv4Hdr> ip = w.get<Ipv4Hdr>(info.l3_off);
		if (!ip)
			return false;
		swap_fields(ip->saddr, ip->daddr);
		be16 new_len = be16::from_host(static_cast<uint16_t>(new_size - info.l3_off));
		ip->check = csum::update16(ip->check, ip->tot_len, new_len);
		ip->tot_len = new_len;
		be16 old_word = be16::from_host(static_cast<uint16_t>(ip->ttl << 8 | ip->protocol));
		ip->ttl = kReplyTtl;
		be16 new_word = be16::from_host(static_cast<uint16_t>(ip->ttl << 8 | ip->protocol));
		ip->check = csum::update16(ip->check, old_word, new_word);
		pseudo = csum::pseudo_v4(ip->saddr, ip->daddr, ipproto::Udp, udp_len);
	} else {
		Ref<Ipv6Hdr> ip = w.get<Ipv6Hdr>(info.l3_off);
		if (!ip)
			return false;
		swap_fields(ip->saddr, ip->daddr);
		ip->payload_len = be16::from_host(
			static_cast<uint16_t>(new_size - info.l3_off - sizeof(Ipv6Hdr)));
		ip->hop_limit = kReplyTtl;
		pseudo = csum::pseudo_v6(w, info.l3_off, ipproto::Udp, udp_len);
	}
	// UDP header (check as zero) + frame header (request id, seq 0, count 1, reserved 0)
	// + the text, whose sum pass 1 computed from the entries' stored sums.
	uint32_t sum = pseudo + udp->source.host() + udp->dest.host() + udp_len +
		       request_id.host() + 1 + text_sum;
	udp->check = csum::udp_nonzero(csum::finish(sum));
	return true;
}

// Room for the reply: at the tail if the frame has it (NIC drivers give a page per
// frame), else at the front (XDP guarantees 256 bytes of headroom; veth's frames have
// little tailroom), else split between both.
struct Growth {
	bool ok;
	uint32_t head;
	uint32_t tail;
};

NETEXT_INLINE Growth grow(XdpContext &ctx, uint32_t delta, uint32_t &front_first)
{
	// Where the last reply on this CPU found room is tried first: a driver's frames are
	// all alike, and a failed try costs a helper call.
	if (front_first != 0 && ctx.adjust_head(-static_cast<int32_t>(delta)))
		return {true, delta, 0};
	if (ctx.adjust_tail(static_cast<int32_t>(delta))) {
		front_first = 0;
		return {true, 0, delta};
	}
	front_first = 1;
	for (uint32_t head : {delta, 192u, 128u, 64u}) {
		if (head > delta || !ctx.adjust_head(-static_cast<int32_t>(head)))
			continue;
		if (head == delta || ctx.adjust_tail(static_cast<int32_t>(delta - head)))
			return {true, head, delta - head};
		ctx.adjust_head(static_cast<int32_t>(head));
	}
	return {false, 0, 0};
}

// Puts the original frame back after a grow().
NETEXT_INLINE void undo(XdpContext &ctx, const Growth &g, const decltype(Scratch::stash) &stash,
			uint32_t old_size)
{
	if (g.head > 0)
		ctx.adjust_head(static_cast<int32_t>(g.head));
	if (g.tail > 0)
		ctx.adjust_tail(-static_cast<int32_t>(g.tail));
	ctx.store_bytes<0, kStashMask>(0, stash, 0, old_size);
}

// The GET stage_get left in this CPU's scratch (keys as offset << 16 | length), answered
// if every key is cached.
NETEXT_INLINE XdpAction serve_get(XdpContext &ctx, const PacketView &v, const Where &info)
{
	Ref<Global> g = bmc_global.lookup(0);
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!g || !scr)
		return XdpAction::Pass;
	be16 request_id = be16::from_host(static_cast<uint16_t>(scr->request_id));
	uint32_t nkeys = scr->req.nkeys;
	GetState st{};
	if (!start_get(v, info, *g, request_id, scr->req.cmd == mc::Command::Gets, st))
		return XdpAction::Pass;
	// One key (most GETs): the step called directly, without bpf_loop's callback.
	if (nkeys == 1)
		lookup_step(0, st);
	else
		loop<lookup_step>(nkeys, st);
	if (st.miss) {
		bump(Misses);
		return XdpAction::Pass;
	}
	uint32_t text_off = scr->text_off;
	uint32_t old_size = v.size();
	uint32_t new_size = text_off + st.len + 5;
	if (new_size - info.l3_off > max_reply || old_size - 1 > kStashMask ||
	    new_size <= old_size) {
		bump(Passes); // memcached answers what does not fit one frame
		return XdpAction::Pass;
	}
	// Keep the request, to put it back if an entry changes under the copy.
	if (!ctx.load_bytes<0, kStashMask>(0, scr->stash, 0, old_size)) {
		bump(Passes);
		return XdpAction::Pass;
	}
	Growth room = grow(ctx, new_size - old_size, scr->front_first);
	if (!room.ok) {
		bump(Passes); // no room in this frame (see README: veth)
		return XdpAction::Pass;
	}
	// Grown at the front: the headers go back to the start.
	if (room.head > 0 && !ctx.store_bytes<0, kStashMask>(0, scr->stash, 0, text_off)) {
		undo(ctx, room, scr->stash, old_size);
		bump(Errors);
		return XdpAction::Pass;
	}
	CopyState cs{ctx, text_off, st.gets, false};
	if (nkeys == 1)
		copy_step(0, cs);
	else
		loop<copy_step>(nkeys, cs);
	PacketView w = ctx.packet();
	if (cs.torn || cs.pos + 5 != new_size || !w.write(cs.pos, "END\r\n")) {
		// An entry changed under the copy: the request goes to memcached as it came.
		undo(ctx, room, scr->stash, old_size);
		bump(Errors);
		return XdpAction::Pass;
	}
	uint32_t text_sum = st.sum + csum::at_offset(kEndSum, st.len);
	if (!finish_reply(ctx, info, new_size, text_sum, request_id))
		return XdpAction::Aborted; // not reached: the headers were parsed before
	bump(Hits);
	return XdpAction::Tx;
}

// A datagram to memcached that is not a GET: its commands invalidate what they may change,
// as in a TCP segment; one that does not end in the datagram flushes (memcached drops it).
NETEXT_XDP_FUNCTION(bmc_invalidate, Where)
{
	if (args.payload_off >= args.end)
		return XdpAction::Pass;
	StreamState s{ctx, opaque(args.payload_off), args.end, opaque(0u), 0, opaque(0u)};
	follow_commands(s);
	if (s.mode != Synced || s.data_end != 0)
		flush_everything();
	return XdpAction::Pass;
}

// The GET bmc_get parsed, answered or passed: verified on its own, apart from the parse.
NETEXT_XDP_FUNCTION(bmc_serve, Where)
{
	return serve_get(ctx, ctx.packet(), args);
}

// What bmc_get tells its caller besides a verdict (BMC never redirects nor drops): a GET
// is staged for bmc_serve, or the datagram is not a single GET.
inline constexpr XdpAction kServe = XdpAction::Drop;
inline constexpr XdpAction kNotGet = XdpAction::Redirect;

// The common GET, "get <key>\r\n" alone in its datagram, recognised without the general
// parse (mc::parse_plain_get): a key that is plainly not cached is a miss decided here
// (leased, passed); otherwise the GET is staged for bmc_serve, which checks everything.
// kNotGet for anything else, which bmc_get then parses.
NETEXT_XDP_FUNCTION(bmc_get_plain, Where)
{
	PacketView v = ctx.packet();
	mc::UdpFrame fr;
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	Ref<Global> g = bmc_global.lookup(0);
	if (!scr || !g || !mc::parse_udp_frame(v, args.payload_off, fr) || fr.count != 1 ||
	    !mc::parse_plain_get(v, fr.payload_off, args.end, scr->req))
		return kNotGet;
	scr->text_off = fr.payload_off;
	scr->request_id = fr.request_id.host();
	mc::Key k = scr->req.keys.at_or(0, mc::Key{});
	Ref<Entry> e = bmc_cache.lookup(slot_of(k.hash));
	if (!e)
		return kServe;
	uint32_t epoch = atomic_read(e->gen) + atomic_read(g->gen);
	if (e->filled != 0 && e->hash == k.hash && e->key_len == k.len && e->epoch == epoch)
		return kServe; // maybe a hit: bmc_serve decides
	GetState st{};
	if (!start_get(v, args, *g, fr.request_id, false, st))
		return kServe;
	grant_lease(*e, k.hash, epoch, st);
	bump(Misses);
	return XdpAction::Pass;
}

// The common SET over TCP, "set <key> <flags> <exptime> <bytes>\r\n<data>\r\n" alone in a
// segment of a followed connection, where a command starts: recognised without the
// general parse (mc::parse_plain_set), its key invalidated, its data block (if it goes on
// in the next segments) recorded. kNotSet for anything else, which bmc_stream handles.
inline constexpr XdpAction kNotSet = XdpAction::Redirect;
NETEXT_XDP_FUNCTION(bmc_set_plain, Where)
{
	PacketView v = ctx.packet();
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr || args.payload_off >= args.end || args.end > v.size() ||
	    !mc::parse_plain_set(v, args.payload_off, args.end, scr->req))
		return kNotSet;
	uint32_t data_end = scr->req.line_end + 4 + scr->req.data_len;
	FlowId id{};
	if (data_end < args.end || !flow_id(v, args, true, id))
		return kNotSet; // commands after it
	uint32_t mode = Lost;
	Ref<Flow> f = lock_flow(id.slot, mode);
	if (!f)
		return kNotSet;
	if (!(f->client == id.addr) || f->cport != id.port || mode != Synced ||
	    f->next_seq != args.seq || f->cmd_seq != args.seq) {
		unlock_flow(*f, mode);
		return kNotSet;
	}
	mc::Key k = scr->req.keys.at_or(0, mc::Key{});
	invalidate_key(k);
	f->next_seq = args.seq + (args.end - args.payload_off);
	f->cmd_seq = args.seq + (data_end - args.payload_off);
	f->pend_hash = k.hash;
	unlock_flow(*f, mode);
	return XdpAction::Pass;
}

// A datagram to memcached's UDP port: a GET is answered if all its keys are cached.
NETEXT_XDP_FUNCTION(bmc_get, Where)
{
	PacketView v = ctx.packet();
	mc::UdpFrame fr;
	Ref<Scratch> scr = bmc_scratch.lookup(0);
	if (!scr)
		return XdpAction::Pass;
	if (!mc::parse_udp_frame(v, args.payload_off, fr)) {
		bump(Errors); // memcached drops it too
		return XdpAction::Pass;
	}
	// Parsed straight into the scratch, where bmc_serve finds it; any other command is
	// left to bmc_invalidate.
	mc::Status s = mc::parse_request<mc::kMaxLineLen, true>(v, fr.payload_off, scr->req);
	mc::Command cmd = scr->req.cmd;
	bool get = s == mc::Status::Ok && (cmd == mc::Command::Get || cmd == mc::Command::Gets);
	if (get && fr.count == 1 && scr->req.line_end + 2 == args.end) {
		scr->text_off = fr.payload_off;
		scr->request_id = fr.request_id.host();
		return kServe;
	}
	if (s == mc::Status::Malformed)
		bump(Errors);
	return kNotGet;
}

} // namespace

NETEXT_XDP(bmc_rx)
{
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok) {
		bump(Passes);
		return XdpAction::Pass;
	}
	// A fragment of a TCP segment or UDP datagram may carry a request whose key cannot be
	// read here (and a TCP connection's next segment will not start where BMC expects:
	// lost). Every fragment flushes, the last one too: memcached runs the request once
	// the kernel has them all, maybe later than the grace period after the first.
	if (info.fragment && (info.ip_proto == ipproto::Tcp || info.ip_proto == ipproto::Udp)) {
		flush_everything();
		bump(Passes);
		return XdpAction::Pass;
	}
	bool to_memcached =
		(info.l4 == L4::Tcp || info.l4 == L4::Udp) && info.l4info.dest == hton16(port);
	if (!to_memcached) {
		bump(Passes);
		return XdpAction::Pass;
	}
	Where w = where_of(info);
	if (info.l4 == L4::Udp) {
		XdpAction a = bmc_get_plain(ctx, w);
		if (a == kNotGet)
			a = bmc_get(ctx, w);
		if (a == kServe)
			return bmc_serve(ctx, w);
		if (a != kNotGet)
			return a;
		// Not a single GET: whatever it is, memcached may change keys for it.
		w.payload_off += sizeof(McUdpHdr);
	}
	bump(Passes);
	if (info.l4 == L4::Tcp) {
		Ref<TcpHdr> tcp = v.get<TcpHdr>(w.l4_off);
		if (!tcp || w.payload_off >= w.end)
			return XdpAction::Pass; // no data: nothing for memcached to read
		w.seq = tcp->seq.host();
		if (bmc_set_plain(ctx, w) != kNotSet)
			return XdpAction::Pass;
		return bmc_stream(ctx, w);
	}
	return bmc_invalidate(ctx, w);
}

// ---- fill --------------------------------------------------------------------------------

namespace {

// An answer bmc_fill parsed, for bmc_store: where its pieces are, which key, which request.
struct Answer {
	uint32_t pos;	   // "VALUE ..."
	uint32_t cas_from; // " <cas>\r\n" (a gets answer) or "\r\n"
	uint32_t line_end; // "\r\n<data>\r\n"
	uint32_t bytes;	   // of the data
	uint32_t hash;	   // of the key
	uint32_t key_len;
	uint32_t ggen; // global generation
	uint32_t tag;  // lease_tag() of the request it answers
};

// Stores the answer if its slot holds a lease for this very answer and no other fill is
// writing the slot. Verified on its own, apart from the parse.
NETEXT_TC_FUNCTION(bmc_store, Answer)
{
	PacketView v = ctx.packet();
	uint32_t pos = args.pos, cas_from = args.cas_from, line_end = args.line_end;
	uint32_t head = cas_from - pos, cas = line_end - cas_from, tail = args.bytes + 4;
	if (cas_from < pos || line_end < cas_from || args.bytes > value_limit ||
	    args.bytes > kMaxValueLimit || head + cas > kHeadMask)
		return TcAction::Ok; // not cacheable
	uint32_t h = args.hash;
	Ref<Entry> e = bmc_cache.lookup(slot_of(h));
	if (!e)
		return TcAction::Ok;
	uint64_t lease = atomic_read(e->lease);
	auto epoch = static_cast<uint32_t>(lease);
	if (lease >> 32 != args.tag || epoch != atomic_read(e->gen) + args.ggen)
		return TcAction::Ok; // no lease, another request's, or invalidated since
	if (!try_lock(e->seq))
		return TcAction::Ok; // another fill is writing it
	e->filled = 0; // a fault before the end (the lock then released) leaves no entry
	uint32_t sum_head = 0, sum_cas = 0, sum_tail = 0;
	bool ok = false;
	if (head + cas <= csum::kMaxCopySumLen && tail <= csum::kMaxCopySumLen) {
		// Short pieces (a small value): copied and summed in one pass.
		constexpr uint32_t kShortMask = 2 * csum::kMaxCopySumLen + 1; // head + cas + tail
		ok = csum::copy_partial<kShortMask>(v, pos, head, e->text, 0, sum_head) &&
		     csum::copy_partial<kShortMask>(v, cas_from, cas, e->text, head, sum_cas) &&
		     csum::copy_partial<kShortMask>(v, line_end, tail, e->text, head + cas,
						    sum_tail);
	} else {
		ok = ctx.load_bytes<0, kHeadMask>(pos, e->text, 0, head + cas) &&
		     ctx.load_bytes<kHeadMask, kTailMask>(line_end, e->text, head + cas, tail);
		sum_head = csum::partial<kHeadMask>(v, pos, head);
		sum_cas = csum::partial<kHeadMask>(v, cas_from, cas);
		sum_tail = csum::partial<kTailMask + 1>(v, line_end, tail);
	}
	e->hash = h;
	e->key_len = static_cast<uint16_t>(args.key_len);
	e->head_len = static_cast<uint16_t>(head);
	e->cas_len = static_cast<uint16_t>(cas);
	e->tail_len = static_cast<uint16_t>(tail);
	e->sum_head = csum::fold(sum_head);
	e->sum_cas = csum::fold(sum_cas);
	e->sum_tail = csum::fold(sum_tail);
	e->epoch = epoch;
	e->filled = ok ? 1 : 0;
	atomic_write(e->lease, uint64_t{0});
	unlock(e->seq);
	if (ok)
		bump(Fills);
	return TcAction::Ok;
}

// One of memcached's UDP answers: its first "VALUE <key> <flags> <bytes>[ <cas>]\r\n
// <data>\r\n", whole inside the IP datagram, is stored by bmc_store. (memcached 1.6 sends
// one datagram per key of a multi-key GET; a later answer packed into the same datagram by
// other versions is simply not cached.)
NETEXT_TC_FUNCTION(bmc_fill, Where)
{
	PacketView v = ctx.packet();
	mc::UdpFrame fr;
	mc::ValueLine vl{};
	Ref<Global> g = bmc_global.lookup(0);
	Ref<UdpHdr> udp = v.get<UdpHdr>(args.l4_off);
	if (!g || !udp || !mc::parse_udp_frame(v, args.payload_off, fr) || fr.count != 1 ||
	    !mc::parse_value_line<kHeadMask>(v, fr.payload_off, vl))
		return TcAction::Ok; // "END\r\n", or not an answer BMC knows
	uint32_t data_end = vl.line_end + 2 + vl.bytes;
	if (vl.bytes > kMaxValueLimit || data_end + 2 > args.end || v.byte(data_end) != '\r' ||
	    v.byte(data_end + 1) != '\n')
		return TcAction::Ok; // not the whole answer inside the IP datagram
	uint32_t tag =
		lease_tag(vl.key.hash, client_digest(v, args, false), udp->dest, fr.request_id);
	return bmc_store(ctx, Answer{fr.payload_off, vl.cas_off, vl.line_end, vl.bytes, vl.key.hash,
				     vl.key.len, atomic_read(g->gen), tag});
}

// memcached's SYN-ACK: the kernel accepted a connection, whose first command starts at the
// sequence number the SYN-ACK acknowledges. Its slot follows it from now on (another
// connection there before is no longer followed: its segments flush).
NETEXT_TC_FUNCTION(bmc_track, Where)
{
	PacketView v = ctx.packet();
	Ref<TcpHdr> tcp = v.get<TcpHdr>(args.l4_off);
	FlowId id{};
	if (!tcp || !flow_id(v, args, false, id))
		return TcAction::Ok;
	uint32_t start = tcp->ack_seq.host();
	uint32_t mode = Lost;
	Ref<Flow> f = lock_flow(id.slot, mode);
	if (!f)
		return TcAction::Ok; // not followed: its segments flush
	f->client = id.addr;
	f->cport = id.port;
	f->next_seq = start;
	f->cmd_seq = start;
	f->pend_hash = 0;
	unlock_flow(*f, Synced);
	return TcAction::Ok;
}

} // namespace

NETEXT_TC(bmc_tx)
{
	// memcached's answer partly in fragments: pulled, and bmc_tx runs again on it
	uint32_t want = ctx.len() < 4096 ? ctx.len() : 4096;
	if (ctx.packet().size() < want && !ctx.pulled())
		return ctx.pull(want);
	PacketView v = ctx.packet();
	PacketInfo info;
	if (parse_packet(v, info) != Parse::Ok || !(info.l4info.source == hton16(port)))
		return TcAction::Ok;
	constexpr uint8_t kSynAck = TcpHdr::Syn | TcpHdr::Ack;
	if (info.l4 == L4::Tcp && (info.l4info.tcp_flags & kSynAck) == kSynAck)
		return bmc_track(ctx, where_of(info));
	if (info.l4 != L4::Udp)
		return TcAction::Ok;
	return bmc_fill(ctx, where_of(info));
}
