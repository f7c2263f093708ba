// The memcached text protocol: the request line's command and keys, and the 8-byte UDP
// frame header. Keys are located (offset, length) in the packet, not copied.
#pragma once

#include <cstdint>

#include <netext/array.hpp>
#include <netext/packet.hpp>
#include <netext/parsers/headers.hpp>

namespace netext::memcached {

inline constexpr uint32_t kMaxKeyLen = 250; // memcached's KEY_MAX_LENGTH
inline constexpr uint32_t kMaxGetKeys = 32; // keys in one get/gets
// Longest request line scanned for its "\r\n": 32 keys of 250 bytes and their spaces.
inline constexpr uint32_t kMaxLineLen = 5 + kMaxGetKeys * (kMaxKeyLen + 1) + 2;

enum class Command : uint8_t {
	Unknown,
	Get,
	Gets,
	Set,
	Add,
	Replace,
	Append,
	Prepend,
	Cas,
	Delete,
	Incr,
	Decr,
	Touch,
	FlushAll,
};

// Commands that may change what a later get returns for the key (or for every key).
constexpr bool modifies(Command c) noexcept
{
	return c != Command::Unknown && c != Command::Get && c != Command::Gets;
}

struct Key {
	uint16_t off; // in the packet view
	uint16_t len;
};

struct Request {
	Command cmd = Command::Unknown;
	uint8_t nkeys = 0;
	uint32_t line_end = 0; // offset of the "\r\n" ending the request line
	array<Key, kMaxGetKeys> keys{};
};

enum class Status : uint8_t {
	Ok,
	NotMemcached, // not a command this parser knows (pass it on)
	Malformed,    // no "\r\n", empty or oversized key, bad character, too many keys
};

namespace detail {

// Scan predicates (PacketView::scan).
struct IsCr {
	static constexpr bool match(uint8_t b) noexcept { return b == '\r'; }
};
struct NotSpace {
	static constexpr bool match(uint8_t b) noexcept { return b != ' '; }
};
// Ends a key: memcached keys have no whitespace or control characters.
struct NotKeyByte {
	static constexpr bool match(uint8_t b) noexcept { return b <= 0x20 || b >= 0x7f; }
};

// Is the word w at off, ending at a space, a '\r' or the end of the view?
template <uint32_t N>
NETEXT_INLINE bool word_is(const PacketView &v, uint32_t off, const char (&w)[N]) noexcept
{
	constexpr uint32_t len = N - 1;
	if (!v.equals(off, w))
		return false;
	int after = v.byte(off + len);
	return after < 0 || after == ' ' || after == '\r';
}

NETEXT_INLINE Command command_at(const PacketView &v, uint32_t off, uint32_t &len) noexcept
{
#define NETEXT_MC_WORD(lit, c)                                                                     \
	if (word_is(v, off, lit)) {                                                                \
		len = sizeof(lit) - 1;                                                             \
		return c;                                                                          \
	}
	NETEXT_MC_WORD("get", Command::Get)
	NETEXT_MC_WORD("gets", Command::Gets)
	NETEXT_MC_WORD("set", Command::Set)
	NETEXT_MC_WORD("add", Command::Add)
	NETEXT_MC_WORD("replace", Command::Replace)
	NETEXT_MC_WORD("append", Command::Append)
	NETEXT_MC_WORD("prepend", Command::Prepend)
	NETEXT_MC_WORD("cas", Command::Cas)
	NETEXT_MC_WORD("delete", Command::Delete)
	NETEXT_MC_WORD("incr", Command::Incr)
	NETEXT_MC_WORD("decr", Command::Decr)
	NETEXT_MC_WORD("touch", Command::Touch)
	NETEXT_MC_WORD("flush_all", Command::FlushAll)
#undef NETEXT_MC_WORD
	len = 0;
	return Command::Unknown;
}

} // namespace detail

namespace detail {

// One key per step: skip spaces, take a token, check it. Shared by both backends; on eBPF
// it is a bpf_loop callback, so the verifier checks one step rather than 33 unrolled ones
// whose states differ in the key count (a plain loop cost 560k of its 1M budget).
struct KeyScan {
	PacketView v;
	uint32_t pos;
	uint32_t end;
	bool multi;
	Status status; // Ok while keys keep coming
	Request *out;
};

template <uint32_t MaxLine>
[[gnu::noinline]] static long key_step([[maybe_unused]] uint64_t index, void *ctx)
{
	auto *s = static_cast<KeyScan *>(ctx);
	uint32_t pos = s->v.scan<NotSpace, MaxLine>(s->pos, s->end);
	if (pos >= s->end)
		return 1;
	uint32_t tok_end = s->v.scan<NotKeyByte, MaxLine>(pos, s->end);
	uint32_t len = tok_end - pos;
	uint8_t n = s->out->nkeys;
	if ((tok_end < s->end && s->v.byte(tok_end) != ' ') || len > kMaxKeyLen ||
	    n >= kMaxGetKeys) {
		s->status = Status::Malformed; // a control character, too long, too many keys
		return 1;
	}
	s->out->keys.set(n, Key{static_cast<uint16_t>(pos), static_cast<uint16_t>(len)});
	s->out->nkeys = static_cast<uint8_t>(n + 1);
	s->pos = tok_end;
	return s->multi ? 0 : 1; // for the other commands the rest are arguments, not keys
}

} // namespace detail

// Parses the request line starting at off. For get/gets every key is recorded (up to
// kMaxGetKeys); for the other key commands the first token after the command is the key;
// flush_all has none. The line must end in "\r\n" within MaxLine bytes; runs of spaces
// separate tokens like one space.
template <uint32_t MaxLine = kMaxLineLen>
NETEXT_INLINE Status parse_request(const PacketView &v, uint32_t off, Request &out) noexcept
{
	out.nkeys = 0;
	uint32_t cmd_len = 0;
	out.cmd = detail::command_at(v, off, cmd_len);
	if (out.cmd == Command::Unknown)
		return Status::NotMemcached;
	uint32_t size = v.size();
	uint32_t limit = size - off < MaxLine ? size : off + MaxLine;
	uint32_t end = v.scan<detail::IsCr, MaxLine>(off, limit);
	if (end >= limit || v.byte(end + 1) != '\n')
		return Status::Malformed; // no "\r\n", or a '\r' alone
	out.line_end = end;
	if (out.cmd == Command::FlushAll)
		return Status::Ok;
	detail::KeyScan st{v,	       off + cmd_len,
			   end,	       out.cmd == Command::Get || out.cmd == Command::Gets,
			   Status::Ok, &out};
	// One step more than kMaxGetKeys, to see a 33rd key.
#if NETEXT_BACKEND_EBPF
	ebpf::loop(kMaxGetKeys + 1, &detail::key_step<MaxLine>, &st);
#else
	for (uint32_t i = 0; i <= kMaxGetKeys; i++)
		if (detail::key_step<MaxLine>(i, &st))
			break;
#endif
	if (st.status != Status::Ok)
		return st.status;
	return out.nkeys > 0 ? Status::Ok : Status::Malformed;
}

struct UdpFrame {
	be16 request_id{};
	uint16_t seq = 0;
	uint16_t count = 0;
	uint32_t payload_off = 0; // where the text starts
};

// The frame header memcached expects on UDP: seq < count, reserved zero.
NETEXT_INLINE bool parse_udp_frame(const PacketView &v, uint32_t off, UdpFrame &out) noexcept
{
	Ref<McUdpHdr> h = v.get<McUdpHdr>(off);
	if (!h)
		return false;
	uint16_t seq = h->seq.host(), count = h->count.host();
	if (count == 0 || seq >= count || h->reserved.host() != 0)
		return false;
	out.request_id = h->request_id;
	out.seq = seq;
	out.count = count;
	out.payload_off = off + sizeof(McUdpHdr);
	return true;
}

} // namespace netext::memcached
